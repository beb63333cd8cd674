import type { ServerFunctionResolver } from '@use-server/runtime/server'
import type { ViteDevServer } from 'vite'
import type { PluginState } from '../state.js'

interface RunnableEnvironment {
  runner: { import(url: string): Promise<Record<string, unknown>> }
}

/**
 * Development resolver: an id the transforms reported is loaded through the server environment's
 * module runner (which compiles the module for the server if it never did, so the first call after
 * a cold start works, and picks up edits on the next call). Any other id is unknown: never a path.
 */
export function createDevResolver(server: ViteDevServer, state: PluginState): ServerFunctionResolver {
  return async (id) => {
    const entry = state.catalog.get(id)
    if (!entry) return undefined
    const name = state.options.serverEnvironment
    const environment = server.environments[name] as unknown as Partial<RunnableEnvironment> | undefined
    if (!environment?.runner) {
      throw new Error(`use-server: the "${name}" environment cannot run modules in the dev server's process, so server functions cannot be loaded. Use a runnable environment, or set the serverEnvironment option.`)
    }
    const module = await environment.runner.import(entry.file)
    const fn = module[entry.exportName]
    if (typeof fn !== 'function') return undefined
    return { fn: fn as (...args: unknown[]) => unknown, name: entry.displayName ?? entry.exportName, boundCount: entry.bound.length }
  }
}
