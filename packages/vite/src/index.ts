import type { EstreeParse, ModuleRecordParse } from '@use-server/transform'
import type { Plugin } from 'vite'
import { resolveOptions, type UseServerOptions } from './options.js'
import { buildPlugin } from './plugins/buildPlugin.js'
import { devServerPlugin } from './plugins/devServerPlugin.js'
import { environmentsPlugin } from './plugins/environmentsPlugin.js'
import { optimizerPlugin } from './plugins/optimizerPlugin.js'
import { previewPlugin } from './plugins/previewPlugin.js'
import { runtimePlugin } from './plugins/runtimePlugin.js'
import { transformPlugin } from './plugins/transformPlugin.js'
import { createState, type PluginState } from './state.js'

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
      async configResolved(config) {
        state.config = config
        Object.assign(state, await viteHelpers())
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

/**
 * What the plugin takes from Vite: its `createFilter`, and Vite 8's native parser (oxc), which reads
 * TypeScript and JSX, so 'use server' modules need no Babel (the slowest part of a build that has only
 * those), and whose module record lists a module's exports without an AST in JavaScript (all their
 * client stubs and registrations need). Vite 7's parser reads JavaScript only.
 */
async function viteHelpers(): Promise<Pick<PluginState, 'createFilter' | 'parseEstree' | 'parseModuleRecord'>> {
  const none = { parseEstree: undefined, parseModuleRecord: undefined }
  try {
    const vite = await import('vite')
    if (!('rolldownVersion' in vite) || typeof vite.rolldownVersion !== 'string') return { ...none, createFilter: vite.createFilter }
    return {
      createFilter: vite.createFilter,
      parseEstree: vite.parseAst as unknown as EstreeParse,
      parseModuleRecord: (vite as { parseSync?: unknown }).parseSync as ModuleRecordParse | undefined,
    }
  } catch {
    return none
  }
}
