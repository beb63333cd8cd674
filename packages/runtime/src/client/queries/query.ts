import { referenceOf } from '../clientReference.js'
import { pageEntry, queryEntry, type QueryStore } from './queryCache.js'

type AsyncFunction = (...args: any[]) => Promise<unknown>

/** What the server runtime offers inside a server render (never in a browser): stores of what it loaded. */
const serverRender = () =>
  (globalThis as Record<symbol, { query(fn: Function, args: unknown[]): QueryStore; pageData(): QueryStore | undefined } | undefined>)[Symbol.for('use-server.server-render')]

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
  const server = referenceOf(fn) ? undefined : serverRender()
  return (server ? server.query(fn, args) : queryEntry(fn, args)) as QueryStore<Awaited<ReturnType<F>>>
}

/**
 * The data `createRequestHandler`'s `pageData` loaded for this page, kept fresh like a query: a
 * call that revalidates the page's path brings the new data back in the same answer.
 */
export function pageData<T = unknown>(): QueryStore<T> {
  return (serverRender()?.pageData() ?? pageEntry()) as QueryStore<T>
}
