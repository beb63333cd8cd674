import type { ClientReferences } from '../state.js'

// `vite build --watch`: `builder.build` gives back a watcher (Rollup's or Rolldown's) before its first build ends.

/** What `builder.build` returns in watch mode (Rollup's and Rolldown's watchers alike). */
export interface BuildWatcher {
  on(event: 'event', listener: (event: { code: string }) => void): unknown
  close(): Promise<void>
}

export const isWatcher = (output: unknown): output is BuildWatcher =>
  typeof output === 'object' && output !== null && typeof (output as BuildWatcher).on === 'function' && typeof (output as BuildWatcher).close === 'function'

/** Settles when the watcher's first build has ended, well or not. */
export const firstBuild = (watcher: BuildWatcher) =>
  new Promise<void>((resolve) => watcher.on('event', (event) => (event.code === 'END' || event.code === 'ERROR') && resolve()))

export const sameReferences = (a: ClientReferences | undefined, b: ClientReferences | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.ids.join() === b.ids.join() && a.modules.join() === b.modules.join())
