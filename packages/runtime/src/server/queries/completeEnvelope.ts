import type { Envelope, LiveQuery } from '../../shared/protocol.js'
import { dependenciesOf } from '../context/dependencies.js'
import type { RequestContext } from '../context/requestContext.js'
import type { ResolvedHandlerOptions } from '../handlerOptions.js'
import { refreshQueries } from './refreshQueries.js'
import type { Revalidation } from '../cache/cacheStore.js'
import { invalidateCached, publishRevalidation, revalidationOf } from '../cache/revalidations.js'

/**
 * A call's last envelope with its effects: what it revalidated (dropped from the cache store first,
 * then told to `onRevalidate`), what its value depends on, and, unless it redirects (the page is
 * leaving), fresh values of the page's queries those revalidations touched; then the revalidation
 * is published to every instance and the browsers connected to them. At once (no promise) when the
 * call revalidated nothing, as most do: each promise is work for the async hooks of the request context.
 */
export function completeEnvelope(o: ResolvedHandlerOptions, context: RequestContext, envelope: Envelope, live: LiveQuery[] | undefined): Envelope | Promise<Envelope> {
  const revalidation = revalidationOf(context)
  return revalidation ? withRevalidation(o, context, envelope, live, revalidation) : withDependencies(context, envelope)
}

async function withRevalidation(
  o: ResolvedHandlerOptions,
  context: RequestContext,
  envelope: Envelope,
  live: LiveQuery[] | undefined,
  revalidation: Revalidation,
): Promise<Envelope> {
  // Before the queries run again, so that they read fresh values rather than cached ones.
  await invalidateCached(revalidation)
  o.options.onRevalidate?.({ paths: revalidation.paths, tags: revalidation.tags }, context.incoming.request)
  envelope.revalidated = revalidation
  if (live && !envelope.redirect) {
    const refreshed = await refreshQueries(o, context, live, 'affected')
    if (refreshed.length > 0) envelope.refreshed = refreshed
  }
  // After them, so this call's own page most likely has its answer before the pushed copy arrives.
  publishRevalidation(revalidation)
  return withDependencies(context, envelope)
}

function withDependencies(context: RequestContext, envelope: Envelope): Envelope {
  const { dependencies } = context
  if (!envelope.error && dependencies.tags.size + dependencies.paths.size > 0) envelope.depends = dependenciesOf(dependencies)
  return envelope
}
