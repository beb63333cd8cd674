import { SERVER_DIRECTIVE_FILTER } from '@use-server/transform'
import { readFile } from 'node:fs/promises'
import type { Plugin } from 'vite'
import { clientRuntimeSpecifier, compileModule } from '../compileModule.js'
import type { PluginState } from '../state.js'

const SOURCE = /\.[cm]?[jt]sx?$/

/**
 * Dependencies pre-bundled for the browser in development bypass the plugin pipeline, so a
 * 'use server' module inside a package would reach the browser whole. This adds the client
 * transform to the pre-bundler: Rolldown's in Vite 8, esbuild's in Vite 7.
 */
export function optimizerPlugin(state: PluginState): Plugin {
  const compile = (code: string, file: string) => {
    const result = compileModule(state, code, file, 'client')
    if (result) state.catalog.update('client', file, result.functions, false)
    return result?.code
  }
  // The stubs' runtime import stays an import: Vite resolves it to the page's one copy of the runtime.
  const isRuntime = (source: string) => source === clientRuntimeSpecifier(state)
  return {
    name: 'use-server:optimizer',
    apply: 'serve',
    config() {
      if ('rolldownVersion' in this.meta) {
        return {
          optimizeDeps: {
            rolldownOptions: {
              plugins: [
                {
                  name: 'use-server:optimizer',
                  resolveId: (source: string) => (isRuntime(source) ? { id: source, external: true } : null),
                  transform: { filter: { id: SOURCE, code: SERVER_DIRECTIVE_FILTER }, handler: (code: string, id: string) => compile(code, id) ?? null },
                },
              ],
            },
          },
        } as never
      }
      return {
        optimizeDeps: {
          esbuildOptions: {
            plugins: [
              {
                name: 'use-server:optimizer',
                setup(build: EsbuildBuild) {
                  build.onResolve({ filter: /^(?:@use-server\/runtime\/client|virtual:use-server\/client)$/ }, (args) => ({ path: args.path, external: true }))
                  build.onLoad({ filter: SOURCE }, async (args) => {
                    const code = await readFile(args.path, 'utf8')
                    if (!SERVER_DIRECTIVE_FILTER.test(code)) return undefined
                    const compiled = compile(code, args.path)
                    return compiled === undefined ? undefined : { contents: compiled, loader: 'js' }
                  })
                },
              },
            ],
          },
        },
      } as never
    },
  }
}

// The slice of esbuild's plugin API used here (esbuild is Vite 7's optimizer, not a dependency of ours).
interface EsbuildBuild {
  onResolve(options: { filter: RegExp }, callback: (args: { path: string }) => { path: string; external: boolean }): void
  onLoad(options: { filter: RegExp }, callback: (args: { path: string }) => Promise<{ contents: string; loader: 'js' } | undefined>): void
}
