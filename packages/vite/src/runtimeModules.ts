import { fileURLToPath } from 'node:url'

/** The runtime entries transformed code imports, resolved from this package so strict installs (pnpm) work. */
export const RUNTIME_CLIENT = '@use-server/runtime/client'
export const RUNTIME_SERVER = '@use-server/runtime/server'

/** Absolute path of a runtime entry as this package sees it (asked once per stub module in a build: remembered). */
export function runtimeFile(specifier: string): string {
  let file = runtimeFiles.get(specifier)
  if (file === undefined) runtimeFiles.set(specifier, (file = fileURLToPath(import.meta.resolve(specifier))))
  return file
}

const runtimeFiles = new Map<string, string>()

/** Virtual modules of the plugin. */
export const CLIENT_CONFIG_MODULE = 'virtual:use-server/client'
export const REGISTRY_MODULE = 'virtual:use-server/registry'
export const SERVER_ENTRY_MODULE = 'virtual:use-server/server-entry'
/** Re-exports the app's server config module (or an empty config); its own chunk, so `vite preview` loads it too. */
export const SERVER_CONFIG_MODULE = 'virtual:use-server/server-config'
