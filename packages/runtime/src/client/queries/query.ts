import { referenceOf } from '../clientReference.js'
import { pageEntry, queryEntry, type QuerySnapshot, type QueryStore } from './queryCache.js'

type AsyncFunction = (...args: any[]) => Promise<unknown>
type LoadedQueryLookup = (fn: Function, args: unknown[]) => { value: unknown } | undefined
type LoadedPageLookup = () => { data: unknown } | undefined

/**
 * A server function read as a query: its value for these arguments, shared by everything on the
 * page that asks for the same, fetched once (concurrent asks share the request), and kept fresh:
 * a call that revalidates what it depends on (`cacheTag`, `cachePath`, or the page's path) brings
 * its new value back in the same answer, and other tabs of the page refresh it too. The store
 * follows Svelte's contract and React's `useSyncExternalStore` (`useQuery` wraps it).
 *
 * On a server render it answers what `loadQuery` loaded for the page, so the page and its
 * hydration agree and the browser makes no request for it.
 */
export function query<F extends AsyncFunction>(fn: F, ...args: Parameters<F>): QueryStore<Awaited<ReturnType<F>>> {
  if (!referenceOf(fn)) {
    const loaded = serverLookup<LoadedQueryLookup>('use-server.loaded-query')
    if (loaded && typeof (fn as { $$id?: unknown }).$$id === 'string') return staticStore(loaded(fn, args)) as QueryStore<Awaited<ReturnType<F>>>
  }
  return queryEntry(fn, args) as QueryStore<Awaited<ReturnType<F>>>
}

/**
 * The data `createRequestHandler`'s `pageData` loaded for this page, kept fresh like a query: a
 * call that revalidates the page's path brings the new data back in the same answer.
 */
export function pageData<T = unknown>(): QueryStore<T> {
  const loaded = serverLookup<LoadedPageLookup>('use-server.loaded-page')?.()
  if (loaded) return staticStore({ value: loaded.data }) as QueryStore<T>
  return (pageEntry() ?? staticStore({ value: undefined })) as QueryStore<T>
}

/** What the server runtime offers when this runs inside a server render (never in a browser). */
function serverLookup<T>(name: string): T | undefined {
  return (globalThis as Record<symbol, T | undefined>)[Symbol.for(name)]
}

/** A store that never changes: a server render's answer. */
function staticStore(loaded: { value: unknown } | undefined): QueryStore {
  const snapshot: QuerySnapshot = loaded ? { value: loaded.value, error: undefined, pending: false, refreshing: false } : { value: undefined, error: undefined, pending: true, refreshing: false }
  return {
    subscribe: (listener) => (listener(snapshot), () => {}),
    getSnapshot: () => snapshot,
    refresh: async () => {},
  }
}
