// In development, server environments get the runtime entries this plugin has already loaded in
// Node, handed over through globalThis, instead of the module runner compiling and evaluating two
// dozen runtime files on the first call (hundreds of milliseconds). The runtime keeps its state on
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

/** Loads the entries in this process and publishes them for the module runner. */
export async function handOverRuntime(): Promise<void> {
  const shared = globalThis as Record<symbol, Record<string, Record<string, unknown>> | undefined>
  if (shared[HANDOVER]) return
  const [server, ssr, node] = await Promise.all([import('@use-server/runtime/server'), import('@use-server/runtime/ssr'), import('@use-server/runtime/node')])
  shared[HANDOVER] = { server, ssr, node }
}

/** A module that re-exports a handed-over entry. */
export function devRuntimeModule(id: string): string {
  const entry = id.slice(DEV_RUNTIME_PREFIX.length) as Entry
  const module = (globalThis as Record<symbol, Record<string, Record<string, unknown>>>)[HANDOVER]?.[entry]
  if (!module) throw new Error(`use-server: the runtime entry "${entry}" was not loaded before the dev server needed it.`)
  const names = Object.keys(module).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name))
  return [
    `const m = globalThis[Symbol.for('use-server.dev-runtime')][${JSON.stringify(entry)}];`,
    ...names.map((name) => `export const ${name} = m.${name};`),
  ].join('\n')
}
