import type { Envelope } from '../shared/protocol.js'

/**
 * What the query cache adds to every call, when a page uses queries: the header that lists the
 * page's live queries, and, once the answer is in, the refreshed values and revalidations applied
 * to the cache before the call resolves. Installed by the query cache, so pages without queries
 * carry none of it.
 */
export interface SingleFlight {
  /** The queries header for a call, and the queries it lists (in order). */
  live(): { header: string; sent: readonly unknown[] } | undefined
  /** Applies an answer's `refreshed` and `revalidated` to the cache. */
  settle(envelope: Envelope, sent: readonly unknown[] | undefined): void
}

export const singleFlight: { current?: SingleFlight } = ((globalThis as Record<symbol, { current?: SingleFlight }>)[Symbol.for('use-server.single-flight')] ??= {})
