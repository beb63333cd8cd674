import { isAbsolute, relative, resolve } from 'node:path'
import type { ConfigEnv, UserConfig } from 'vite'
import type { ResolvedOptions } from '../options.js'

export interface BuildLayout {
  /** Whether the build writes the standalone production server (the app has no SSR entry of its own). */
  embedded: boolean
  /** Where the client build goes: `dist/client` beside the embedded server, else the app's choice. */
  clientOutDir: string | undefined
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
  const inside = relative(resolve(root, clientOutDir), resolve(root, options.serverOutDir))
  if (!inside.startsWith('..') && !isAbsolute(inside)) {
    throw new Error(`use-server: serverOutDir (${options.serverOutDir}) is inside the client build (${clientOutDir}), which is served to the public. Choose a directory outside it.`)
  }
  return { embedded, clientOutDir }
}
