/** Options of the revalidation stream (`events` of the handler, the plugin or the server config). */
export interface EventsOptions {
  /** Most streams open at once in this process; past it, a 503 that tells the browser when to retry. Default 1 000. */
  maxConnections?: number
  /** Interval of the comment that keeps a stream open through proxies, in ms. Default 15 000. */
  heartbeat?: number
  /** How long a browser waits before it reconnects, in ms (the stream's `retry:`). Default 2 000. */
  retry?: number
}

export type ResolvedEventsOptions = Required<EventsOptions>

export function resolveEventsOptions(events: boolean | EventsOptions | undefined): ResolvedEventsOptions | undefined {
  if (!events) return undefined
  const given = events === true ? {} : events
  const count = (name: keyof EventsOptions, fallback: number, least: number) => {
    const value = given[name] ?? fallback
    if (typeof value !== 'number' || !Number.isFinite(value) || value < least) throw new TypeError(`use-server: events.${name} must be a number ≥ ${least}, not ${String(value)}.`)
    return value
  }
  return { maxConnections: count('maxConnections', 1000, 0), heartbeat: count('heartbeat', 15_000, 100), retry: count('retry', 2000, 0) }
}
