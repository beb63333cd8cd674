import { encodeBase64 } from '../../codec/base64.js'
import { LOADED_FIELD, REFRESH_SEGMENT, type Dependencies, type Envelope, type LiveQuery, type RefreshedQuery } from '../../shared/protocol.js'
import { ServerFunctionError } from '../../shared/ServerFunctionError.js'
import { applyEffects, errorOf, notifyRevalidated } from '../applyEffects.js'
import { fetchAnswer } from '../callServer.js'
import { readClientData } from '../clientData.js'
import { referenceOf, type ClientReference } from '../clientReference.js'
import { decodeResponse } from '../decodeResponse.js'
import { encodeRequest } from '../encodeRequest.js'
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
  source: { reference: ClientReference; args: unknown[]; call: string } | { page: string }
  snapshot: QuerySnapshot
  listeners: Set<QueryListener<unknown>>
  running: Promise<void> | undefined
  /** Changed on the server since its value arrived: runs again when it is next shown. */
  stale: boolean
  /** When it was last shown: the most recently shown queries go first into a call's header. */
  shown: number
  store: QueryStore
}

/** Kept while no component shows them, so that showing them again costs nothing; the oldest go first. */
const MAX_HIDDEN = 100
/** A call's queries header stays well under the 16 KB Node accepts for all headers. */
const HEADER_BUDGET = 8 * 1024
const MAX_SENT = 50
const INITIAL: QuerySnapshot = Object.freeze({ value: undefined, error: undefined, pending: true, refreshing: false })

// One cache per page, even when a bundler ends up with two copies of this module.
const cache: { entries: Map<string, Entry>; seeded: boolean; clock: number } = ((globalThis as Record<symbol, never>)[Symbol.for('use-server.queries')] ??= {
  entries: new Map(),
  seeded: false,
  clock: 0,
} as never)

/** The query of `fn` with `args`: one store per distinct call, shared by every component that shows it. */
export function queryEntry(fn: Function, args: unknown[]): QueryStore {
  const reference = referenceOf(fn)
  if (!reference) throw new TypeError('query() takes a server function imported from a \'use server\' module (or one a server function returned).')
  seed()
  const call = queryCall(reference, args)
  return (cache.entries.get(call) ?? createEntry(call, { reference, args, call }, INITIAL, { tags: [], paths: [] })).store
}

/** The page data the server rendered this page with, kept fresh like a query. */
export function pageEntry(): QueryStore | undefined {
  seed()
  for (const entry of cache.entries.values()) if ('page' in entry.source) return entry.store
  return undefined
}

function createEntry(key: string, source: Entry['source'], snapshot: QuerySnapshot, dependencies: Dependencies): Entry {
  const entry: Entry = { key, source, snapshot, listeners: new Set(), running: undefined, stale: false, shown: 0, ...dependencies, store: undefined! }
  entry.store = {
    subscribe(listener) {
      entry.listeners.add(listener as QueryListener<unknown>)
      entry.shown = ++cache.clock
      listener(entry.snapshot)
      if (entry.snapshot.pending || entry.stale) void run([entry])
      return () => {
        entry.listeners.delete(listener as QueryListener<unknown>)
        if (entry.listeners.size === 0) evictHidden()
      }
    },
    getSnapshot: () => entry.snapshot,
    refresh: () => run([entry]),
  }
  cache.entries.set(key, entry)
  return entry
}

/** The queries and page data the server render loaded (`loadQuery`, `pageData`): no request for them. */
function seed(): void {
  if (cache.seeded) return
  cache.seeded = true
  singleFlight.current = { live, settle }
  listenToOtherTabs()
  const loaded = readClientData()?.[LOADED_FIELD]
  for (const { fn, args, value, tags, paths } of loaded?.queries ?? []) {
    const reference = referenceOf(fn)
    if (!reference) continue
    const call = queryCall(reference, args)
    createEntry(call, { reference, args, call }, success(value), { tags, paths })
  }
  if (loaded?.page) {
    const { path, data, tags, paths } = loaded.page
    createEntry(`page:${path}`, { page: path }, success(data), { tags, paths })
  }
}

const success = (value: unknown): QuerySnapshot => ({ value, error: undefined, pending: false, refreshing: false })

function update(entry: Entry, outcome: { value: unknown } | { error: ServerFunctionError }, dependencies?: Dependencies): void {
  entry.stale = false
  if (dependencies) ({ tags: entry.tags, paths: entry.paths } = dependencies)
  entry.snapshot = 'error' in outcome ? { ...entry.snapshot, error: outcome.error, refreshing: false, pending: false } : success(outcome.value)
  for (const listener of entry.listeners) listener(entry.snapshot)
}

/**
 * Runs queries: one alone through its own call, several (or page data) in one refresh request. A
 * query already running is not run twice: its asker waits for the run under way.
 */
function run(entries: Entry[]): Promise<void> {
  const idle = entries.filter((entry) => !entry.running)
  const busy = entries.flatMap((entry) => (entry.running ? [entry.running] : []))
  if (idle.length > 0) {
    for (const entry of idle) {
      entry.snapshot = { ...entry.snapshot, refreshing: true }
      for (const listener of entry.listeners) listener(entry.snapshot)
    }
    const [first] = idle
    const work = idle.length === 1 && !('page' in first!.source) ? read(first!, first!.source) : refresh(idle)
    const running: Promise<void> = work.finally(() => {
      for (const entry of idle) if (entry.running === running) entry.running = undefined
    })
    for (const entry of idle) entry.running = running
    busy.push(running)
  }
  return Promise.all(busy).then(() => {})
}

/** A query's own call: its value, and what it declared it depends on. */
async function read(entry: Entry, { reference, args }: { reference: ClientReference; args: unknown[] }): Promise<void> {
  try {
    const response = await fetchAnswer(reference.id, encodeRequest([...reference.bound, ...args], reference.token))
    const envelope = await decodeResponse(response, reviversFor)
    update(entry, { value: applyEffects(envelope, response.status) }, envelope.depends ?? { tags: [], paths: [] })
  } catch (error) {
    update(entry, { error: asServerFunctionError(error) })
  }
}

/** Runs `entries` again on the server, all in one request (`<base>/$refresh`). */
async function refresh(entries: Entry[]): Promise<void> {
  if (entries.length === 0) return
  try {
    const response = await fetchAnswer(REFRESH_SEGMENT, '[]', undefined, headerOf(entries.map(liveQueryOf)))
    const envelope = await decodeResponse(response, reviversFor)
    applyEffects(envelope, response.status, entries)
    // A query the answer left out (the server lost it) ends its refresh with an error.
    for (const entry of entries) if (entry.snapshot.refreshing) update(entry, { error: new ServerFunctionError('The server did not run this query again.', { code: 'BAD_RESPONSE', status: response.status }) })
  } catch (error) {
    for (const entry of entries) update(entry, { error: asServerFunctionError(error) })
  }
}

/** The page's shown queries, most recently shown first, within what a header can carry. */
function live(): { header: string; sent: Entry[] } | undefined {
  const shown = [...cache.entries.values()].filter((entry) => entry.listeners.size > 0).sort((a, b) => b.shown - a.shown)
  const sent: Entry[] = []
  const queries: LiveQuery[] = []
  let size = 2
  for (const entry of shown) {
    const query = liveQueryOf(entry)
    const length = JSON.stringify(query).length + 1
    if (queries.length === MAX_SENT || size + length > (HEADER_BUDGET * 3) / 4) break
    size += length
    queries.push(query)
    sent.push(entry)
  }
  return sent.length === 0 ? undefined : { header: headerOf(queries), sent }
}

/** A query as a call lists it: what to run, and what it depends on, the page that shows it included. */
function liveQueryOf(entry: Entry): LiveQuery {
  const path = 'page' in entry.source ? entry.source.page : currentPath()
  const paths = entry.paths.includes(path) ? entry.paths : [...entry.paths, path]
  return 'page' in entry.source ? { page: entry.source.page, tags: entry.tags, paths } : { call: entry.source.call, tags: entry.tags, paths }
}

const headerOf = (queries: LiveQuery[]) => encodeBase64(new TextEncoder().encode(JSON.stringify(queries))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

/**
 * After an answer: the fresh values it carried, then its revalidations: a shown query they touch
 * that the answer did not refresh runs again (one request for all), a hidden one is marked stale.
 * Other tabs of the page hear of the revalidations too.
 */
function settle(envelope: Envelope, sent: readonly unknown[] | undefined, fromOtherTab = false): void {
  const refreshed = new Set<Entry>()
  for (const result of envelope.refreshed ?? []) {
    const entry = sent?.[result.index] as Entry | undefined
    if (!entry || cache.entries.get(entry.key) !== entry) continue
    refreshed.add(entry)
    update(entry, outcomeOf(result), result)
  }
  const { revalidated } = envelope
  if (!revalidated) return
  if (!fromOtherTab) otherTabs?.postMessage(revalidated)
  const touched = [...cache.entries.values()].filter((entry) => !refreshed.has(entry) && touches(entry, revalidated))
  for (const entry of touched) entry.stale = true
  // Leaving the page (a redirect): nothing shown here needs to be fresh.
  if (!envelope.redirect) void run(touched.filter((entry) => entry.listeners.size > 0))
}

function outcomeOf(result: RefreshedQuery): { value: unknown } | { error: ServerFunctionError } {
  return result.error ? { error: errorOf(result.error, 200) } : { value: result.value }
}

function touches(entry: Entry, { tags, paths }: { tags: string[]; paths: string[] }): boolean {
  if (entry.tags.some((tag) => tags.includes(tag))) return true
  const own = liveQueryOf(entry).paths.map(pagePath)
  return paths.some((path) => own.includes(pagePath(path)))
}

const pagePath = (path: string) => {
  const pathname = path.split(/[?#]/, 1)[0]!
  return pathname.length > 1 ? pathname.replace(/\/+$/, '') || '/' : pathname
}
const currentPath = () => globalThis.location?.pathname ?? '/'
const asServerFunctionError = (error: unknown) =>
  error instanceof ServerFunctionError ? error : new ServerFunctionError(error instanceof Error ? error.message : String(error), { code: 'ERROR', status: 0, cause: error })

function evictHidden(): void {
  const hidden = [...cache.entries.values()].filter((entry) => entry.listeners.size === 0 && !('page' in entry.source))
  if (hidden.length <= MAX_HIDDEN) return
  hidden.sort((a, b) => a.shown - b.shown)
  for (const entry of hidden.slice(0, hidden.length - MAX_HIDDEN)) cache.entries.delete(entry.key)
}

let otherTabs: BroadcastChannel | undefined

/** Revalidations from the page's other tabs (same origin): refresh what they touch here, and tell the page. */
function listenToOtherTabs(): void {
  if (typeof BroadcastChannel === 'undefined') return
  otherTabs = new BroadcastChannel('use-server')
  otherTabs.onmessage = ({ data }: MessageEvent<Envelope['revalidated']>) => {
    if (!data || !Array.isArray(data.tags) || !Array.isArray(data.paths)) return
    settle({ revalidated: data }, undefined, true)
    notifyRevalidated(data)
  }
}
