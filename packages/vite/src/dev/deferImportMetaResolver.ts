// Vite's Node module runner gives every module it evaluates an `import.meta` whose `resolve` needs a
// module resolution hook, and registers that hook when it builds the first module's `import.meta`,
// whether or not anything ever calls `import.meta.resolve`. On Node without `module.registerHooks`
// (before 22.15), that is `module.register`: the dev server's thread blocks 25–42 ms while a loader
// worker starts, and from then on every `import()` in the process (Vite's own lazy imports too) goes
// through that worker. A server function that never calls `import.meta.resolve` needs none of it.

import type { ModuleRunner, ModuleRunnerImportMeta } from 'vite/module-runner'

export type ViteRunnerModule = Pick<typeof import('vite/module-runner'), 'createNodeImportMeta' | 'createDefaultImportMeta'>

/**
 * Makes `runner` register the resolution hook on the first call of `import.meta.resolve` instead of
 * on the first module it runs; `import.meta` is otherwise the one Vite builds. Only for a runner
 * using Vite's own synchronous Node `import.meta` (Vite 8): a runner an app or framework configured
 * differently, and Vite 7's asynchronous factory, are left as they are.
 */
export function deferImportMetaResolver(runner: ModuleRunner, vite: ViteRunnerModule): void {
  const { options } = runner
  // (once deferred, the factory is this one, not Vite's)
  if (options.createImportMeta !== vite.createNodeImportMeta) return
  if (vite.createNodeImportMeta.constructor.name === 'AsyncFunction') return // Vite 7: `resolve` could not wait for it
  const { createNodeImportMeta, createDefaultImportMeta } = vite
  options.createImportMeta = (modulePath): ModuleRunnerImportMeta => {
    let resolve: ModuleRunnerImportMeta['resolve'] | undefined
    return {
      ...createDefaultImportMeta(modulePath),
      main: false,
      resolve(specifier, parent) {
        resolve ??= createNodeImportMeta(modulePath).resolve
        return resolve(specifier, parent)
      },
    }
  }
}
