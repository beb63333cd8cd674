import { isAbsolute, relative, resolve } from 'node:path'
import type { ConfigEnv, UserConfig } from 'vite'
import type { ResolvedOptions } from '../options.js'

export interface BuildLayout {
  /** Whether the build writes the standalone production server (the app has no SSR entry of its own). */
  embedded: boolean
  /** Where the client build goes: `dist/client` beside the embedded server, else the app's choice. */
  clientOutDir: string | undefined
  /** Whether the app chose to empty the server's output (`build.emptyOutDir`, its own or the server environment's), if it did. */
  emptyServerOutDir?: boolean | undefined
}

/**
 * Where a build puts what, from the app's own config: read by `vite build` to set the build up and
 * by `vite preview` to serve the same directories.
 */
export function buildLayout(userConfig: UserConfig, env: ConfigEnv, options: ResolvedOptions): BuildLayout {
  const userServerBuild = userConfig.environments?.[options.serverEnvironment]?.build
  const appHasSsr = Boolean(env.isSsrBuild || userConfig.build?.ssr || userServerBuild?.ssr || userServerBuild?.rollupOptions?.input)
  const embedded = options.embeddedServer ?? !appHasSsr
  if (!embedded) return { embedded, clientOutDir: undefined }
  const clientOutDir = userConfig.environments?.client?.build?.outDir ?? userConfig.build?.outDir ?? 'dist/client'
  const root = resolve(userConfig.root ?? '.')
  const serverOutDir = resolve(root, options.serverOutDir)
  if (isWithin(serverOutDir, resolve(root, clientOutDir))) {
    throw new Error(`use-server: serverOutDir (${options.serverOutDir}) is inside the client build (${clientOutDir}), which is served to the public. Choose a directory outside it.`)
  }
  // The build clears what it did not write from the server's output: there, that would be the app's sources.
  if (isWithin(root, serverOutDir)) {
    throw new Error(
      `use-server: serverOutDir (${options.serverOutDir}) is the project root or a folder above it (${root}), and a build ` +
        `removes what it did not write from the server's output. Choose a directory of its own, such as dist/server.`,
    )
  }
  const emptyServerOutDir = userConfig.environments?.[options.serverEnvironment]?.build?.emptyOutDir ?? userConfig.build?.emptyOutDir ?? undefined
  return { embedded, clientOutDir, emptyServerOutDir }
}

/** Whether `path` is `folder` or inside it. */
export function isWithin(path: string, folder: string): boolean {
  const from = relative(folder, path)
  return !/^\.\.(?:[\\/]|$)/.test(from) && !isAbsolute(from)
}
