import { stringify } from 'devalue'
import { runWithOwnDependencies } from '../context/dependencies.js'
import { currentContext, currentContextOrUndefined, type LoadedQuery } from '../context/requestContext.js'
import type { QuerySnapshot, QueryStore } from '../../client/queries/queryCache.js'
import { isServerReference } from '../references/serverReference.js'

type AsyncFunction = (...args: any[]) => Promise<unknown>

/**
 * Runs a server function as a query of the page being rendered, and returns its value: the page
 * ships it to the browser (with `clientDataScript`), where `useQuery(fn, ...args)` and
 * `query(fn, ...args)` start from it without a request, and keep it fresh when a call revalidates
 * what it depends on. Call it while rendering (in `pageData` or `render` of `createRequestHandler`).
 */
export async function loadQuery<F extends AsyncFunction>(fn: F, ...args: Parameters<F>): Promise<Awaited<ReturnType<F>>> {
  const context = currentContext('loadQuery()')
  if (!isServerReference(fn)) {
    throw new TypeError(`loadQuery() takes a server function (an export of a 'use server' module, or an inline one), not ${typeof fn === 'function' ? `the function ${fn.name || '(anonymous)'}` : typeof fn}.`)
  }
  const { value, dependencies } = await runWithOwnDependencies(context, () => fn(...args))
  context.loaded.queries.push({ fn, args, value, ...dependencies })
  return value as Awaited<ReturnType<F>>
}

/** The query `loadQuery` loaded for this page with the same function and arguments, if any. */
function loadedQuery(fn: Function, args: unknown[]): LoadedQuery | undefined {
  const queries = currentContextOrUndefined()?.loaded.queries
  if (!queries?.length) return undefined
  const key = stringify(args)
  return queries.find((query) => query.fn === fn && stringify(query.args) === key)
}

/** A store that never changes: a server render's answer (pending when the render did not load it). */
function renderedStore(loaded: { value: unknown } | undefined): QueryStore {
  const snapshot: QuerySnapshot = { value: loaded?.value, error: undefined, pending: !loaded, refreshing: false }
  return { subscribe: (listener) => (listener(snapshot), () => {}), getSnapshot: () => snapshot, refresh: async () => {} }
}

// Components that render on the server and in the browser (`useQuery`, `usePageData`) read what the
// server loaded for the page through this global (only inside a request), so the browser's bundle
// never imports the server runtime.
;(globalThis as Record<symbol, unknown>)[Symbol.for('use-server.server-render')] = {
  query: (fn: Function, args: unknown[]) => renderedStore(loadedQuery(fn, args)),
  pageData: () => {
    const page = currentContextOrUndefined()?.loaded.page
    return page && renderedStore({ value: page.data })
  },
}
