import type { Envelope, LiveQuery } from '../../shared/protocol.js'
import { dependenciesOf } from '../context/dependencies.js'
import type { RequestContext } from '../context/requestContext.js'
import type { ResolvedHandlerOptions } from '../handlerOptions.js'
import { refreshQueries } from './refreshQueries.js'

/**
 * A call's last envelope with its effects: what it revalidated (told to `onRevalidate` first), what
 * its value depends on, and, unless it redirects (the page is leaving), fresh values of the page's
 * queries those revalidations touched.
 */
export async function completeEnvelope(o: ResolvedHandlerOptions, context: RequestContext, envelope: Envelope, live: LiveQuery[] | undefined): Promise<Envelope> {
  const { tags, paths } = context.revalidated
  if (tags.size + paths.size > 0) {
    const revalidated = { paths: [...paths], tags: [...tags] }
    o.options.onRevalidate?.(revalidated, context.incoming.request)
    envelope.revalidated = revalidated
    if (live && !envelope.redirect) {
      const refreshed = await refreshQueries(o, context, live, 'affected')
      if (refreshed.length > 0) envelope.refreshed = refreshed
    }
  }
  const { dependencies } = context
  if (!envelope.error && dependencies.tags.size + dependencies.paths.size > 0) envelope.depends = dependenciesOf(dependencies)
  return envelope
}
