import { SERVER_DIRECTIVE_FILTER, type TransformTarget } from '@use-server/transform'
import type { Plugin } from 'vite'
import { compileModule } from '../compileModule.js'
import { compilableFile } from '../moduleId.js'
import type { PluginState } from '../state.js'

/**
 * Compiles modules per environment: client consumers get stubs, server consumers registrations
 * (and hoisted inline functions). Reports every function found to the catalog.
 */
export function transformPlugin(state: PluginState): Plugin {
  // Client output per file in development, to tell an edit of a function body (stubs unchanged:
  // no browser update at all) from a change of exports (stubs change: normal HMR).
  const clientOutputs = new Map<string, string>()

  const compile = (code: string, file: string, target: TransformTarget) => compileModule(state, code, file, target)

  return {
    name: 'use-server:transform',
    enforce: 'pre',
    sharedDuringBuild: true,

    buildStart() {
      if (!state.config && !state.options.target) {
        this.error("use-server: outside Vite there are no environments to tell client from server code: pass `target: 'client'` or `target: 'server'` to useServer().")
      }
    },

    transform: {
      // Tested by the bundler before calling into JS: the transform's own superset of what it handles.
      filter: { code: SERVER_DIRECTIVE_FILTER },
      handler(code, id) {
        const file = compilableFile(id)
        if (!file) return null
        const environment = this.environment
        const target: TransformTarget = state.options.target ?? (environment?.config.consumer === 'client' ? 'client' : 'server')
        const result = compile(code, file, target)
        if (!result) return null
        state.catalog.update(environment?.name ?? target, file, result.functions, target === 'server')
        if (target === 'server' && environment?.mode === 'build') state.onServerModule?.(this, file, result.functions)
        if (target === 'client' && environment?.mode === 'dev') clientOutputs.set(file, result.code)
        return { code: result.code, map: result.map }
      },
    },

    hotUpdate: {
      async handler({ file, modules, read }) {
        if (this.environment.config.consumer !== 'client') return
        const previous = clientOutputs.get(file)
        if (previous === undefined) return
        let next: string | undefined
        try {
          next = compile(await read(), file, 'client')?.code
        } catch {
          return // the module's own transform reports the error
        }
        if (next !== previous) return
        return modules.filter((module) => module.id === null || compilableFile(module.id) !== file)
      },
    },
  }
}
