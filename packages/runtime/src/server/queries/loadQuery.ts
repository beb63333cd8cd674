import { stringify } from 'devalue'
import { runWithOwnDependencies } from '../context/dependencies.js'
import { currentContext, currentContextOrUndefined, type LoadedQuery } from '../context/requestContext.js'
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
export function loadedQuery(fn: Function, args: unknown[]): LoadedQuery | undefined {
  const queries = currentContextOrUndefined()?.loaded.queries
  if (!queries?.length) return undefined
  const key = stringify(args)
  return queries.find((query) => query.fn === fn && stringify(query.args) === key)
}

/** The page data `createRequestHandler` loaded for this render, if any. */
export function loadedPage(): { data: unknown } | undefined {
  return currentContextOrUndefined()?.loaded.page
}

// Components that render on the server and in the browser (`useQuery`, `usePageData`) find what the
// server loaded through these globals, so the browser's bundle never imports the server runtime.
Object.assign(globalThis, { [Symbol.for('use-server.loaded-query')]: loadedQuery, [Symbol.for('use-server.loaded-page')]: loadedPage })
