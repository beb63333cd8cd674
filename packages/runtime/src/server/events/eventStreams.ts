import type { CacheStore, Revalidation } from '../cache/cacheStore.js'
import { currentStore } from '../cache/currentStore.js'

/** A browser's open event stream. */
interface EventStream {
  /** Queues an event's bytes: the same bytes for every stream, never written to (one copy, however many streams). */
  send(bytes: Uint8Array): void
  close(): void
}

/** Text a stream may hold unsent (a client that stopped reading) before it is dropped. */
const MAX_UNSENT = 256 * 1024
const encoder = new TextEncoder()
const HEARTBEAT = encoder.encode(': heartbeat\n\n')

interface Hub {
  streams: Set<EventStream>
  store?: CacheStore
  unsubscribe?: () => void
  heartbeat?: ReturnType<typeof setInterval>
  heartbeatMs?: number
  /** Set by `closeEventStreams`: what a stream asked for afterwards gets instead of events (the server is stopping). */
  closedWith?: string
}

// Process-wide: the dev server's handler and an app's own share the one subscription to the store.
const hub: Hub = ((globalThis as Record<symbol, Hub>)[Symbol.for('use-server.event-streams')] ??= { streams: new Set() })

/** How many event streams are open in this process. */
export function openEventStreams(): number {
  return hub.streams.size
}

/**
 * Opens an event stream: a body that starts with the reconnection delay, receives one `revalidate`
 * event per revalidation published through the cache store (this instance's and every other's),
 * and a comment every `heartbeat` ms so proxies keep it open and a dead client is noticed. A
 * client that stops reading is dropped once `MAX_UNSENT` bytes wait for it.
 */
export function openEventStream(options: { retry: number; heartbeat: number }): ReadableStream<Uint8Array> {
  const { closedWith } = hub
  if (closedWith !== undefined) {
    return new ReadableStream({
      start(controller) {
        controller.enqueue(encoder.encode(closedWith))
        controller.close()
      },
    })
  }
  follow(currentStore(), options.heartbeat)
  let stream: EventStream
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        stream = {
          send(bytes) {
            // More than MAX_UNSENT bytes still queued: the client stopped reading.
            if ((controller.desiredSize ?? 0) < 0) return this.close()
            try {
              controller.enqueue(bytes)
            } catch {
              // the client went away while events were being sent
              this.close()
            }
          },
          close() {
            if (!hub.streams.delete(stream)) return
            try {
              controller.close()
            } catch {
              // already closed by the client going away
            }
            quietIfEmpty()
          },
        }
        hub.streams.add(stream)
        stream.send(encoder.encode(`retry: ${options.retry}\n: use-server revalidations\n\n`))
      },
      cancel() {
        hub.streams.delete(stream)
        quietIfEmpty()
      },
    },
    { highWaterMark: MAX_UNSENT, size: (chunk) => chunk.byteLength },
  )
}

/** Subscribes to the store's revalidations (again if `configureServer` changed the store), and keeps a heartbeat. */
function follow(store: CacheStore, heartbeat: number): void {
  if (hub.store !== store) {
    hub.unsubscribe?.()
    hub.store = store
    hub.unsubscribe = store.subscribe(broadcast)
  }
  if (!hub.heartbeat || hub.heartbeatMs !== heartbeat) {
    clearInterval(hub.heartbeat)
    hub.heartbeatMs = heartbeat
    hub.heartbeat = setInterval(() => each((stream) => stream.send(HEARTBEAT)), heartbeat)
    // The heartbeat alone never keeps a process alive.
    ;(hub.heartbeat as { unref?: () => void }).unref?.()
  }
}

function broadcast({ tags, paths, id }: Revalidation): void {
  // Encoded once: a large revalidation sent to a thousand streams is one copy in memory, not a thousand.
  const bytes = encoder.encode(`event: revalidate\ndata: ${JSON.stringify({ tags, paths, id })}\n\n`)
  each((stream) => stream.send(bytes))
}

function each(action: (stream: EventStream) => void): void {
  for (const stream of [...hub.streams]) action(stream)
}

function quietIfEmpty(): void {
  if (hub.streams.size > 0) return
  clearInterval(hub.heartbeat)
  hub.heartbeat = undefined
}

/**
 * Ends every open event stream, telling browsers to come back after `retry` ms (to another
 * instance, behind a load balancer): what a server does as it shuts down. A stream asked for
 * afterwards (a browser coming back on its keep-alive connection while calls drain) gets the same
 * hint and ends at once, rather than holding the shutdown open.
 */
export function closeEventStreams(options: { retry?: number } = {}): void {
  const hint = options.retry === undefined ? '' : `retry: ${Math.max(0, Math.round(options.retry))}\n\n`
  hub.closedWith = hint
  const bytes = encoder.encode(hint)
  each((stream) => {
    if (hint) stream.send(bytes)
    stream.close()
  })
}
