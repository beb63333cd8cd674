import { fileURLToPath } from 'node:url'

/** The runtime entries transformed code imports, resolved from this package so strict installs (pnpm) work. */
export const RUNTIME_CLIENT = '@use-server/runtime/client'
export const RUNTIME_SERVER = '@use-server/runtime/server'

/** Absolute path of a runtime entry as this package sees it. */
export function runtimeFile(specifier: string): string {
  return fileURLToPath(import.meta.resolve(specifier))
}

/** Virtual modules of the plugin. */
export const CLIENT_CONFIG_MODULE = 'virtual:use-server/client'
export const REGISTRY_MODULE = 'virtual:use-server/registry'
export const SERVER_ENTRY_MODULE = 'virtual:use-server/server-entry'
/** Re-exports the app's server config module (or an empty config); its own chunk, so `vite preview` loads it too. */
export const SERVER_CONFIG_MODULE = 'virtual:use-server/server-config'
