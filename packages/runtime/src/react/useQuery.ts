import { useSyncExternalStore } from 'react'
import { pageData, query } from '../client/queries/query.js'
import type { QuerySnapshot, QueryStore } from '../client/queries/queryCache.js'

type AsyncFunction = (...args: any[]) => Promise<unknown>

export type QueryState<T> = QuerySnapshot<T> & {
  /** Runs the query again. */
  refresh(): Promise<void>
}

/**
 * A server function's value for these arguments, as a query (see `query`): fetched once for the
 * whole page, kept fresh when a call revalidates what it depends on, and, on a page the server
 * rendered, starting from what `loadQuery` loaded there: no request when it mounts.
 */
export function useQuery<F extends AsyncFunction>(fn: F, ...args: Parameters<F>): QueryState<Awaited<ReturnType<F>>> {
  return useStore(query(fn, ...args))
}

/**
 * The data `createRequestHandler`'s `pageData` loaded for this page, kept fresh: a call that
 * revalidates the page's path brings the new data back in the same answer.
 */
export function usePageData<T>(): T {
  return useStore(pageData<T>()).value as T
}

function useStore<T>(store: QueryStore<T>): QueryState<T> {
  // The store's own snapshot is also the server's: hydration starts from what the server rendered.
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot)
  return { ...snapshot, refresh: store.refresh }
}
