import type { LiveQuery, RefreshedQuery } from '../../shared/protocol.js'
import { errorEnvelope } from '../answer/errorEnvelope.js'
import { withTimeout } from '../answer/withTimeout.js'
import { runWithOwnDependencies } from '../context/dependencies.js'
import type { RequestContext } from '../context/requestContext.js'
import type { ResolvedHandlerOptions } from '../handlerOptions.js'
import { PayloadError } from '../request/validatePayload.js'
import { pageDataLoader } from './pageDataLoader.js'
import { pagePath } from '../../shared/pagePath.js'
import { queryOfCall } from './runQuery.js'

/**
 * Single flight: runs again, in the call's own request context (its cookies as the call left them),
 * each live query that depends on what the call revalidated, or every one of them (`all`, for a
 * refresh request). A query that fails answers with its own error (a digest in production), never
 * with the caller's: the call itself succeeded.
 */
export async function refreshQueries(o: ResolvedHandlerOptions, context: RequestContext, live: LiveQuery[], which: 'affected' | 'all'): Promise<RefreshedQuery[]> {
  const tags = context.revalidated.tags
  const paths = context.revalidated.paths
  const affected = live.flatMap((query, index) => {
    const touched = which === 'all' || query.tags.some((tag) => tags.has(tag)) || query.paths.some((path) => paths.has(pagePath(path)))
    return touched ? [{ query, index }] : []
  })
  return Promise.all(affected.map(({ query, index }) => refreshQuery(o, context, query, index)))
}

async function refreshQuery(o: ResolvedHandlerOptions, context: RequestContext, query: LiveQuery, index: number): Promise<RefreshedQuery> {
  try {
    const run = query.page !== undefined ? pageDataRunner(o, context, query.page) : await queryOfCall(o, query.call)
    const { value, dependencies } = await runWithOwnDependencies(context, () => (o.timeout === undefined ? run() : withTimeout(run(), o.timeout)))
    // page data always belongs to its own path, as when createRequestHandler first loaded it
    const own = query.page === undefined ? undefined : pagePath(query.page)
    const paths = own === undefined || dependencies.paths.includes(own) ? dependencies.paths : [...dependencies.paths, own]
    return { index, value, tags: dependencies.tags, paths }
  } catch (error) {
    const { tags, paths } = query
    if (error instanceof PayloadError) return { index, error: { message: `This query could not be run again: ${error.message}.`, code: 'BAD_REQUEST' }, tags, paths }
    const { envelope } = errorEnvelope(o, 'query', query.page === undefined ? 'a query' : `the data of page ${query.page}`, error)
    const refused = envelope.redirect ? { message: 'A query cannot redirect; only the call that changes data can.', code: 'QUERY_REDIRECT' } : envelope.error!
    return { index, error: refused, tags, paths }
  }
}

/** Loads the data of the page at `path` again, as `createRequestHandler`'s `pageData` did when it rendered it. */
function pageDataRunner(o: ResolvedHandlerOptions, context: RequestContext, path: string): () => unknown {
  const pageData = pageDataLoader(o.options.pageData)
  if (!pageData) throw new PayloadError('this server has no page data (createRequestHandler without pageData)')
  const incoming = context.incoming.request
  const request = new Request(new URL(path, incoming.url), { headers: incoming.headers })
  return () => pageData(request)
}
