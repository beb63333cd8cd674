import { ERROR_HEADER, EVENTS_SEGMENT, type Envelope } from '../../shared/protocol.js'
import { queue } from '../callQueue.js'
import { config } from '../config.js'
import { readEnvelope } from '../decodeResponse.js'
import { applyRevalidation, refreshAll } from './queryCache.js'

type Revalidated = NonNullable<Envelope['revalidated']>

/** Ids of the revalidations this page has applied: a pushed copy of one is not applied twice. */
const RECENT = 64
/** After an answer that is not a stream, the first retry waits about this long, doubling up to `LONGEST_WAIT_MS`. */
const FIRST_WAIT_MS = 1000
const LONGEST_WAIT_MS = 30_000

// Pure, as the query cache (queryCache.ts): a page that never connects drops it.
const page: { close?: () => void } = /*#__PURE__*/ (() => ((globalThis as Record<symbol, { close?: () => void }>)[Symbol.for('use-server.events')] ??= {}))()

/**
 * Keeps this page's queries fresh when anyone changes data: opens `<base>/$events` (the server's
 * `events` option must be on), and applies each revalidation any instance makes as it applies another
 * tab's (shown queries it touches run again, in one request; hidden ones turn stale). After a lost
 * connection the browser reconnects, and every shown query runs again, since revalidations may have
 * been missed meanwhile. Returns the function that closes the stream; calling it again while open
 * returns the same one.
 */
export function connectRevalidations(): () => void {
  if (page.close) return page.close
  if (typeof EventSource === 'undefined') return () => {}
  const seen: string[] = []
  const remember = (id: unknown) => typeof id === 'string' && seen.push(id) > RECENT && seen.shift()
  // This page's own calls and other tabs' revalidations come through the page event first.
  const onPage = (event: Event) => void remember((event as CustomEvent<Revalidated>).detail?.id)
  addEventListener('use-server:revalidate', onPage)
  const onRevalidate = (event: Event) => {
    let data: Revalidated | undefined
    try {
      data = JSON.parse((event as MessageEvent<string>).data)
    } catch {
      return
    }
    if (data) void afterCalls().then(() => seen.includes(data.id!) || applyRevalidation(data))
  }
  let source: EventSource
  let opened = false
  let failures = 0
  let retry: ReturnType<typeof setTimeout> | undefined
  const open = () => {
    const url = `${config.base}/${EVENTS_SEGMENT}`
    source = new EventSource(url)
    source.onopen = () => {
      failures = 0
      if (opened) refreshAll()
      opened = true
    }
    // The browser reconnects by itself after a lost connection, but gives up for good on an answer
    // that is not a stream: a 503 past maxConnections, a proxy's 502 while instances restart. Try
    // again later, waiting longer each time, at random within the wait so pages do not come back at once.
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) return
      if (!opened && failures === 0) explainRefusal(url)
      const wait = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** failures++)
      retry = setTimeout(open, wait / 2 + Math.random() * (wait / 2))
    }
    source.addEventListener('revalidate', onRevalidate)
  }
  open()
  return (page.close = () => {
    clearTimeout(retry)
    source.close()
    removeEventListener('use-server:revalidate', onPage)
    page.close = undefined
  })
}

/**
 * EventSource never says why a stream was refused: the console shows only "Failed to load resource",
 * at every retry. Ask once, and say what the server answered (without `events`, a 404 that says how
 * to turn them on).
 */
function explainRefusal(url: string): void {
  const abort = new AbortController()
  // from a promise: an app's fetch that throws at once must not stop the retries that follow this call
  Promise.resolve()
    .then(() => config.fetch(url, { signal: abort.signal }))
    .then(async (response) => {
      const { status, headers } = response
      const type = headers.get('content-type') ?? ''
      // a stream now (the refusal has passed); a 200 page is a host that does not route the stream to the server
      if (response.ok && type.startsWith('text/event-stream')) return
      const message = !response.ok && headers.get(ERROR_HEADER) && readEnvelope(await response.text(), {}, status).error?.message
      console.warn(`use-server: connectRevalidations() could not open ${url} (${status}): ${message || `not an event stream (${type.split(';')[0] || 'no content type'}).`} It tries again now and then.`)
    })
    // the server went away meanwhile: the retries go on, and the console shows why they fail
    .catch(() => {})
    .finally(() => abort.abort())
}

/**
 * Once the page's queued calls have settled. A call's own revalidation can be pushed back to its page
 * before its answer is read; held until then, the copy is known by its id and skipped (applied at once,
 * it cost one more refresh of what the answer brought anyway). Parallel calls are not waited for.
 */
async function afterCalls(): Promise<void> {
  let tail
  while (tail !== queue.tail) await (tail = queue.tail)
}
