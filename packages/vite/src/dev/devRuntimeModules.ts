// In development, server environments get the runtime entries this plugin has already loaded in
// Node, handed over through globalThis, instead of the module runner transforming and evaluating
// the runtime's files again on the first call. The runtime keeps its state on
// globalThis either way; this only spares the work.

const HANDOVER = Symbol.for('use-server.dev-runtime')
/** Entries with no dependency outside Node (the React helpers import React, so they stay compiled). */
const HANDED_OVER = ['server', 'ssr', 'node'] as const
type Entry = (typeof HANDED_OVER)[number]

export const DEV_RUNTIME_PREFIX = '\0use-server-dev-runtime:'

/** The id a server environment resolves `@use-server/runtime/<entry>` to in development, if handed over. */
export function devRuntimeId(specifier: string): string | undefined {
  const entry = specifier.slice('@use-server/runtime/'.length)
  return (HANDED_OVER as readonly string[]).includes(entry) ? DEV_RUNTIME_PREFIX + entry : undefined
}

const ENTRIES = {
  server: () => import('@use-server/runtime/server'),
  ssr: () => import('@use-server/runtime/ssr'),
  node: () => import('@use-server/runtime/node'),
} satisfies Record<Entry, () => Promise<Record<string, unknown>>>

type Loaded<E extends Entry> = Awaited<ReturnType<(typeof ENTRIES)[E]>>
const loading = new Map<Entry, Promise<Record<string, unknown>>>()

/** Loads one entry in this process (once) and publishes it for the module runner. */
function loadEntry<E extends Entry>(entry: E): Promise<Loaded<E>> {
  let module = loading.get(entry)
  if (!module) {
    module = ENTRIES[entry]().then((loaded) => {
      const shared = globalThis as Record<symbol, Partial<Record<Entry, Record<string, unknown>>> | undefined>
      return ((shared[HANDOVER] ??= {})[entry] ??= loaded)
    })
    loading.set(entry, module)
  }
  return module as Promise<Loaded<E>>
}

/**
 * The entries the dev server itself needs (the React one loads when a server module imports it).
 * Started when Vite reads the config of a dev server, and awaited only where an entry is needed (a
 * call, a server module importing the runtime): ~8 ms of loading that need not hold up `listen()`.
 */
export async function loadDevRuntime(): Promise<{ server: Loaded<'server'>; node: Loaded<'node'> }> {
  const [server, node] = await Promise.all([loadEntry('server'), loadEntry('node')])
  return { server, node }
}

// The entries are shared by every dev server in the process, and so is the resolver the last one
// installed: an app's own handler (handleServerFunction in its SSR entry) would run another app's
// functions. Each dev server publishes its resolver, and its modules' handlers default to it.
const RESOLVERS = Symbol.for('use-server.dev-resolvers')
let nextResolverKey = 0

/** Makes `resolve` the default of the handlers that one dev server's modules import, until unpublished. */
export function publishDevResolver(resolve: (id: string) => unknown): { key: number; unpublish(): void } {
  const resolvers = ((globalThis as Record<symbol, Map<number, unknown> | undefined>)[RESOLVERS] ??= new Map())
  const key = nextResolverKey++
  resolvers.set(key, resolve)
  return { key, unpublish: () => void resolvers.delete(key) }
}

/** The handed-over functions that take handler options (with `resolve`), and the position of those options. */
const TAKING_OPTIONS: Partial<Record<Entry, Record<string, number>>> = {
  server: { handleServerFunction: 1 },
  ssr: { createRequestHandler: 0, decodeFormAction: 1 },
}

/**
 * A module that re-exports a handed-over entry; with `resolverKey`, its handlers default to that dev
 * server's resolver (options given with a `resolve` of their own keep it; one object per options object).
 */
export async function devRuntimeModule(id: string, resolverKey?: number): Promise<string> {
  const entry = id.slice(DEV_RUNTIME_PREFIX.length) as Entry
  const module = await loadEntry(entry)
  const names = Object.keys(module).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name))
  const taking = resolverKey === undefined ? {} : (TAKING_OPTIONS[entry] ?? {})
  return [
    `const m = globalThis[Symbol.for('use-server.dev-runtime')][${JSON.stringify(entry)}];`,
    `const withOwn = new WeakMap(), none = {};`,
    `const own = (options) => {`,
    `  const resolve = globalThis[Symbol.for('use-server.dev-resolvers')]?.get(${resolverKey ?? -1});`,
    `  if (!resolve || options?.resolve) return options;`,
    `  let withResolver = withOwn.get(options ?? none);`,
    `  if (!withResolver) withOwn.set(options ?? none, (withResolver = { ...options, resolve }));`,
    `  return withResolver;`,
    `};`,
    ...names.map((name) => {
      const at = taking[name]
      if (at === undefined) return `export const ${name} = m.${name};`
      return `export const ${name} = (...args) => { args[${at}] = own(args[${at}]); return m.${name}(...args); };`
    }),
  ].join('\n')
}
