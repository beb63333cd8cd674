import type { ServerFunctionResolver } from '@use-server/runtime/server'
import type { ViteDevServer } from 'vite'
import type { ModuleRunner } from 'vite/module-runner'
import type { PluginState } from '../state.js'
import { deferImportMetaResolver, type ViteRunnerModule } from './deferImportMetaResolver.js'

type Load = (file: string) => Promise<Record<string, unknown>>

/**
 * Development resolver: an id the transforms reported is loaded through the server environment's
 * module runner (which compiles the module for the server if it never did, so the first call after
 * a cold start works, and picks up edits on the next call). Any other id is unknown: never a path.
 */
export function createDevResolver(server: ViteDevServer, state: PluginState, vite?: ViteRunnerModule): ServerFunctionResolver & { preload(id: string): Promise<void> } {
  const load = (file: string) => moduleLoader(server, state.options.serverEnvironment, vite)(file)
  const resolve = async (id: string) => {
    const entry = state.catalog.get(id)
    if (!entry) return undefined
    const module = await load(entry.file)
    const fn = module[entry.exportName]
    if (typeof fn !== 'function') return undefined
    return { fn: fn as (...args: unknown[]) => unknown, name: entry.displayName ?? entry.exportName, boundCount: entry.bound.length }
  }
  /**
   * Loads the module of `id` ahead of its call, which finds it loaded. Never fails: the call's own
   * resolution meets the same failure (the runner keeps a module that failed to run as failed).
   */
  const preload = async (id: string) => {
    const entry = state.catalog.get(id)
    if (entry) await load(entry.file).catch(() => {})
  }
  return Object.assign(resolve, { preload })
}

/**
 * Functions must run in the same module instances as the app's server code, or they would not
 * share its state. Apps that render through `ssrLoadModule` get Vite's compatibility runner (a
 * second runner, created on first use); the others use the environment's own runner.
 */
function moduleLoader(server: ViteDevServer, name: string, vite: ViteRunnerModule | undefined): Load {
  if (usesSsrLoadModule(server, name)) return (file) => server.ssrLoadModule(file)
  const runner = serverRunner(server, name, vite)
  if (!runner) {
    throw new Error(`use-server: the "${name}" environment cannot run modules in the dev server's process, so server functions cannot be loaded. Use a runnable environment, or set the serverEnvironment option.`)
  }
  return (file) => runner.import(file)
}

/**
 * The module runner of a runnable server environment (Vite creates it on first use), its Node
 * resolution hook deferred (see deferImportMetaResolver) when `vite` is the module runner's package.
 */
export function serverRunner(server: ViteDevServer, name: string, vite?: ViteRunnerModule): ModuleRunner | undefined {
  const runner = (server.environments[name] as { runner?: ModuleRunner } | undefined)?.runner
  if (runner && vite) deferImportMetaResolver(runner, vite)
  return runner
}

/**
 * Whether functions load through `ssrLoadModule` (an app rendering through it has started Vite's
 * compatibility runner), whose stack traces are not mapped to the source until `ssrFixStacktrace`.
 */
export function usesSsrLoadModule(server: ViteDevServer, name: string): boolean {
  return name === 'ssr' && !!(server as unknown as { _ssrCompatModuleRunner?: unknown })._ssrCompatModuleRunner
}
