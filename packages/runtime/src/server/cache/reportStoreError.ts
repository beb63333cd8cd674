/** Once a failure is logged, the same kind is only counted for this long: a store that is down must not flood the logs. */
const QUIET_MS = 10_000

const shared: { quietUntil: Map<string, { until: number; missed: number }> } = ((globalThis as Record<symbol, never>)[Symbol.for('use-server.cache-errors')] ??= {
  quietUntil: new Map(),
} as never)

/**
 * Logs a cache store failure (what failed, what the server did instead, the error), then only
 * counts failures of the same kind for ten seconds, and says how many it left out when it logs again.
 */
export function reportStoreError(what: string, consequence: string, error: unknown): void {
  const now = Date.now()
  const state = shared.quietUntil.get(what)
  if (state && now < state.until) {
    state.missed++
    return
  }
  const missed = state?.missed ? ` (${state.missed} more such failures in the last ${QUIET_MS / 1000} s were not logged)` : ''
  shared.quietUntil.set(what, { until: now + QUIET_MS, missed: 0 })
  console.error(`use-server: the cache store failed to ${what}; ${consequence}${missed}:`, error instanceof Error ? error.message : error)
}
