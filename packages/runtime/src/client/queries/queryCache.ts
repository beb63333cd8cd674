import { encodeBase64 } from '../../codec/base64.js'
import { LOADED_FIELD, REFRESH_SEGMENT, type Dependencies, type Envelope, type LiveQuery } from '../../shared/protocol.js'
import type { ServerFunctionError } from '../../shared/ServerFunctionError.js'
import { applyEffects, errorOf, notifyRevalidated } from '../applyEffects.js'
import { fetchAnswer } from '../callServer.js'
import { readClientData } from '../clientData.js'
import { referenceOf } from '../clientReference.js'
import { decodeResponse } from '../decodeResponse.js'
import { reviversFor } from '../references.js'
import { singleFlight } from '../singleFlight.js'
import { queryCall } from './queryCall.js'

/** What a query shows now. A new object on every change (so `useSyncExternalStore` sees it). */
export interface QuerySnapshot<T = unknown> {
  /** The last value, once one has arrived. */
  value: T | undefined
  /** The error of the last run, if it failed (`value` is then the one before, if any). */
  error: ServerFunctionError | undefined
  /** No value yet: the first run is under way (or has not started). */
  pending: boolean
  /** A run is under way: the first one, or a refresh. */
  refreshing: boolean
}

export type QueryListener<T> = (snapshot: QuerySnapshot<T>) => void

/** A query as components use it: a store in the sense of Svelte, and of React's `useSyncExternalStore`. */
export interface QueryStore<T = unknown> {
  /** Calls `listener` now and on every change (starting the first run if none has); returns the unsubscribe. */
  subscribe(listener: QueryListener<T>): () => void
  getSnapshot(): QuerySnapshot<T>
  /** Runs the query again; resolves when the new snapshot is out. */
  refresh(): Promise<void>
}

interface Entry extends Dependencies {
  /** A call's text (see `queryCall`), or `page:<path>`. */
  key: string
  /** What to run: a server function's call with its arguments (see `queryCall`), or a page's data. */
  call?: string
  page?: string
  snapshot: QuerySnapshot
  listeners: Set<QueryListener<unknown>>
  running?: Promise<void>
  /** Changed on the server since its value arrived: runs again when it is next shown. */
  stale?: boolean
  store: QueryStore
}

/** Kept while no component shows them, so that showing them again costs nothing; the oldest go first. */
const MAX_HIDDEN = 100
/** What a call's queries header may carry (base64 of JSON), well under the 16 KB Node takes for all headers. */
const HEADER_BUDGET = 6 * 1024
const MAX_SENT = 50

// One cache per page, even when a bundler ends up with two copies of this module. Pure: the runtime
// ships bundled, so a page that uses no query drops this statement only if it says it may.
const cache: { entries: Map<string, Entry>; seeded?: boolean } = /*#__PURE__*/ (() => ((globalThis as Record<symbol, never>)[Symbol.for('use-server.queries')] ??= { entries: new Map() } as never))()

const snapshotOf = (value: unknown, pending = false, error?: ServerFunctionError, refreshing = false): QuerySnapshot => ({ value, error, pending, refreshing })

/** The query of `fn` with `args`: one store per distinct call, shared by everything that shows it. */
export function queryEntry(fn: Function, args: unknown[]): QueryStore {
  const reference = referenceOf(fn)
  if (!reference) throw new TypeError('query() takes a server function.')
  seed()
  const text = queryCall(reference, args)
  return (cache.entries.get(text) ?? createEntry(text, snapshotOf(undefined, true), { tags: [], paths: [] }, text)).store
}

/** The page data the server rendered this page with, kept fresh like a query (undefined data on a page without). */
export function pageEntry(): QueryStore {
  seed()
  for (const entry of cache.entries.values()) if (entry.page) return entry.store
  return createEntry('page:', snapshotOf(undefined), { tags: [], paths: [] }).store
}

function createEntry(key: string, snapshot: QuerySnapshot, dependencies: Dependencies, call?: Entry['call'], page?: string): Entry {
  const entry: Entry = { key, call, page, snapshot, listeners: new Set(), ...dependencies, store: undefined! }
  entry.store = {
    subscribe(listener) {
      entry.listeners.add(listener as QueryListener<unknown>)
      listener(entry.snapshot)
      if (entry.snapshot.pending || entry.stale) void run([entry])
      return () => void (entry.listeners.delete(listener as QueryListener<unknown>) && evictHidden())
    },
    getSnapshot: () => entry.snapshot,
    async refresh() {
      await run([entry])
    },
  }
  cache.entries.set(key, entry)
  return entry
}

/** Installs single flight, and takes the queries and page data the server render loaded: no request for them. */
function seed(): void {
  if (cache.seeded) return
  cache.seeded = true
  singleFlight.current = { live, settle }
  listenToOtherTabs()
  const loaded = readClientData()?.[LOADED_FIELD]
  for (const { fn, args, value, tags, paths } of loaded?.queries ?? []) {
    const reference = referenceOf(fn)
    const text = reference && queryCall(reference, args)
    if (text) createEntry(text, snapshotOf(value), { tags, paths }, text)
  }
  const page = loaded?.page
  if (page) createEntry(`page:${page.path}`, snapshotOf(page.data), page, undefined, page.path)
}

function notify(entry: Entry, snapshot: QuerySnapshot): void {
  entry.snapshot = snapshot
  for (const listener of entry.listeners) listener(snapshot)
}

/** A run's outcome: the new value (and what it depends on now), or the error, keeping the last value. */
function update(entry: Entry, outcome: { value?: unknown; error?: ServerFunctionError }, dependencies?: Dependencies): void {
  entry.stale = false
  if (dependencies) ({ tags: entry.tags, paths: entry.paths } = dependencies)
  notify(entry, outcome.error ? { ...entry.snapshot, error: outcome.error, pending: false, refreshing: false } : snapshotOf(outcome.value))
}

/**
 * Runs queries on the server: every query asked for in the same tick goes in one request
 * (`<base>/$refresh`), so a page's first loads cost one round trip. A query already running is not
 * run twice: its asker waits for the run under way.
 */
function run(entries: Entry[]): Promise<unknown> {
  for (const entry of entries) {
    if (entry.running) continue
    notify(entry, { ...entry.snapshot, refreshing: true })
    if (batch.entries.length === 0) batch.running = Promise.resolve().then(() => refresh(batch.entries.splice(0)))
    batch.entries.push(entry)
    entry.running = batch.running!.finally(() => (entry.running = undefined))
  }
  return Promise.all(entries.map((entry) => entry.running))
}

const batch: { entries: Entry[]; running?: Promise<void> } = { entries: [] }

/** Runs `entries` again on the server, all in one request; each gets its value (and what it depends on) or its error. */
async function refresh(entries: Entry[]): Promise<void> {
  try {
    const response = await fetchAnswer(REFRESH_SEGMENT, JSON.stringify(entries.map(liveQueryOf)))
    applyEffects(await decodeResponse(response, reviversFor), response.status, entries)
  } catch (error) {
    for (const entry of entries) update(entry, { error: error as ServerFunctionError })
  }
  // One the server left out ends its run with the value it had.
  for (const entry of entries) if (entry.snapshot.refreshing) notify(entry, { ...entry.snapshot, refreshing: false })
}

/** The page's shown queries, within what a header can carry (the rest refresh after the answer). */
function live(): { header: string; sent: Entry[] } | undefined {
  const sent: Entry[] = []
  let size = 0
  for (const entry of cache.entries.values()) {
    if (entry.listeners.size === 0) continue
    size += JSON.stringify(liveQueryOf(entry)).length
    if (sent.length === MAX_SENT || size > (HEADER_BUDGET * 3) / 4) break
    sent.push(entry)
  }
  return sent[0] && { header: headerOf(sent.map(liveQueryOf)), sent }
}

/** A query as a call lists it: what to run, and what it depends on, the page that shows it included. */
function liveQueryOf({ call, page, tags, paths }: Entry): LiveQuery {
  // Page data lists its own path already (the server put it there); a query belongs to the page that
  // shows it, compared as the server stores paths: no trailing slash.
  const path = (globalThis.location?.pathname ?? '/').replace(/(.)\/+$/, '$1')
  // one of `call` and `page` is undefined, and JSON leaves it out
  return { call, page, tags, paths: page || paths.includes(path) ? paths : [...paths, path] } as LiveQuery
}

/** base64url of the list's JSON, in UTF-8: what a header can carry. */
const headerOf = (queries: LiveQuery[]) => encodeBase64(new TextEncoder().encode(JSON.stringify(queries))).replace(/[+/=]/g, (c) => (c === '+' ? '-' : c === '/' ? '_' : ''))

/**
 * After an answer: the fresh values it carried, then its revalidations: a shown query they touch
 * that the answer did not refresh runs again (one request for all), a hidden one is marked stale.
 * Other tabs of the page hear of the revalidations too.
 */
function settle(envelope: Envelope, sent: readonly unknown[] | undefined, fromOtherTab?: boolean): void {
  const refreshed = new Set<Entry>()
  for (const result of envelope.refreshed ?? []) {
    const entry = sent?.[result.index] as Entry | undefined
    if (entry && cache.entries.get(entry.key) === entry) {
      refreshed.add(entry)
      update(entry, result.error ? { error: errorOf(result.error, 200) } : { value: result.value }, result)
    }
  }
  const { revalidated } = envelope
  if (!revalidated) return
  if (!fromOtherTab) otherTabs?.postMessage(revalidated)
  const touched = [...cache.entries.values()].filter((entry) => !refreshed.has(entry) && touches(entry, revalidated))
  for (const entry of touched) entry.stale = true
  // Leaving the page (a redirect): nothing shown here needs to be fresh.
  if (!envelope.redirect) void run(touched.filter((entry) => entry.listeners.size > 0))
}

function touches(entry: Entry, { tags, paths }: { tags: string[]; paths: string[] }): boolean {
  const own = liveQueryOf(entry).paths
  return entry.tags.some((tag) => tags.includes(tag)) || paths.some((path) => own.includes(path))
}


/** Past MAX_HIDDEN queries nobody shows, the oldest are forgotten (a page's data never is). */
function evictHidden(): void {
  let over = cache.entries.size - MAX_HIDDEN
  for (const entry of cache.entries.values()) if (over > 0 && !entry.listeners.size && !entry.page && cache.entries.delete(entry.key)) over--
}

let otherTabs: BroadcastChannel | undefined

/** Revalidations from the page's other tabs (same origin): refresh what they touch here, and tell the page. */
function listenToOtherTabs(): void {
  if (typeof BroadcastChannel === 'undefined') return
  otherTabs = new BroadcastChannel('use-server')
  otherTabs.onmessage = ({ data }) => applyRevalidation(data)
}

/**
 * A revalidation this page did not make (another tab's, or one pushed by the server): the shown
 * queries it touches run again (one request for all), the hidden ones become stale, and the page
 * hears of it (`onRevalidate`, `use-server:revalidate`). Anything that is not lists of names is ignored.
 */
export function applyRevalidation(data: Envelope['revalidated']): void {
  if (!Array.isArray(data?.tags) || !Array.isArray(data.paths)) return
  settle({ revalidated: data }, undefined, true)
  notifyRevalidated(data)
}

/** Every shown query runs again and every hidden one becomes stale (the page may have missed revalidations). */
export function refreshAll(): void {
  const entries = [...cache.entries.values()]
  for (const entry of entries) entry.stale = true
  void run(entries.filter((entry) => entry.listeners.size > 0))
}
