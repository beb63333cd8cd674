import type { Plugin } from 'vite'
import { resolveOptions, type UseServerOptions } from './options.js'
import { buildPlugin } from './plugins/buildPlugin.js'
import { devServerPlugin } from './plugins/devServerPlugin.js'
import { environmentsPlugin } from './plugins/environmentsPlugin.js'
import { optimizerPlugin } from './plugins/optimizerPlugin.js'
import { previewPlugin } from './plugins/previewPlugin.js'
import { runtimePlugin } from './plugins/runtimePlugin.js'
import { transformPlugin } from './plugins/transformPlugin.js'
import { createState } from './state.js'

export type { UseServerOptions } from './options.js'
export type { ManifestEntry } from './build/manifest.js'

/**
 * Server functions for a Vite app: `'use server'` modules and inline functions compile to client
 * stubs in the browser and registrations on the server; `vite` serves calls, `vite build` writes
 * the server side (a standalone server for apps without SSR), `vite preview` serves the built functions.
 */
export function useServer(options: UseServerOptions = {}): Plugin[] {
  const state = createState(resolveOptions(options))
  return [
    {
      name: 'use-server',
      sharedDuringBuild: true,
      configResolved(config) {
        state.config = config
      },
    },
    environmentsPlugin(),
    runtimePlugin(state),
    transformPlugin(state),
    optimizerPlugin(state),
    devServerPlugin(state),
    buildPlugin(state),
    previewPlugin(state),
  ]
}

export default useServer
