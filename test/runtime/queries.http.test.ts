import { configure, createServerReference, query, type QuerySnapshot, type QueryStore } from '@use-server/runtime/client'
import { cachePath, cacheTag, redirect, registerServerReference, revalidatePath, revalidateTag, ServerFunctionError } from '@use-server/runtime/server'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { startServer, type TestServer } from './harness.js'

// Queries and single flight, over real HTTP with the client runtime: a query's value comes with what
// it depends on; a call that revalidates it brings the fresh value back in the same answer, applied
// before the call resolves.

const items: string[] = ['first']
let listRuns = 0
let failCount = false
registerServerReference(async () => (listRuns++, cacheTag('items'), [...items]), 'q-list', 'listItems')
registerServerReference(async (prefix: string) => (cacheTag('items'), items.filter((item) => item.startsWith(prefix))), 'q-filter', 'filterItems')
registerServerReference(
  async () => {
    cachePath('/stats')
    if (failCount) throw new ServerFunctionError('The counter is down.', { code: 'COUNTER_DOWN' })
    return items.length
  },
  'q-count',
  'countItems',
)
registerServerReference(async () => 'untouched', 'q-other', 'other')
registerServerReference(async (item: string) => (items.push(item), revalidateTag('items'), items.length), 'q-add', 'addItem')
registerServerReference(async () => (revalidatePath('/stats'), 'ok'), 'q-touch-stats', 'touchStats')
registerServerReference(async (item: string) => (items.push(item), revalidateTag('items'), redirect('/items')), 'q-add-and-leave', 'addAndLeave')

const listItems = createServerReference('q-list', 'listItems') as () => Promise<string[]>
const filterItems = createServerReference('q-filter', 'filterItems') as (prefix: string) => Promise<string[]>
const countItems = createServerReference('q-count', 'countItems') as () => Promise<number>
const addItem = createServerReference('q-add', 'addItem') as (item: string) => Promise<number>
const touchStats = createServerReference('q-touch-stats', 'touchStats')
const addAndLeave = createServerReference('q-add-and-leave', 'addAndLeave') as (item: string) => Promise<void>

let server: TestServer
const requests: Array<{ path: string; queries: string | null }> = []
const redirects: string[] = []
beforeAll(async () => {
  server = await startServer({ dev: true })
  configure({
    base: server.base,
    fetch: (input, init) => {
      requests.push({ path: new URL(String(input)).pathname, queries: new Headers(init?.headers).get('x-use-server-queries') })
      return fetch(input, init)
    },
    onRedirect: (url) => void redirects.push(url),
  })
})
afterAll(() => server.close())
afterEach(() => {
  requests.length = 0
  redirects.length = 0
  failCount = false
})

/** Subscribes, and waits until the store has a value (or an error). */
async function show<T>(store: QueryStore<T>): Promise<{ snapshots: Array<QuerySnapshot<T>>; stop: () => void }> {
  const snapshots: Array<QuerySnapshot<T>> = []
  const stop = store.subscribe((snapshot) => void snapshots.push(snapshot))
  await vi.waitFor(() => expect(store.getSnapshot().pending).toBe(false))
  return { snapshots, stop }
}

describe('a query', () => {
  test('is fetched once for everything that shows it, and keeps what it depends on', async () => {
    const first = query(listItems)
    expect(query(listItems)).toBe(first)
    const a = first.subscribe(() => {})
    const b = query(listItems).subscribe(() => {})
    await vi.waitFor(() => expect(first.getSnapshot()).toMatchObject({ pending: false, value: ['first'] }))
    expect(requests.map((r) => r.path)).toEqual(['/_server/$refresh'])
    a()
    b()
  })

  test('queries shown in the same tick load in one request, each with what it depends on', async () => {
    const stops = [query(filterItems, 'f').subscribe(() => {}), query(filterItems, 's').subscribe(() => {}), query(countItems).subscribe(() => {})]
    await vi.waitFor(() => expect(query(countItems).getSnapshot().pending).toBe(false))
    expect(requests.map((r) => r.path)).toEqual(['/_server/$refresh'])
    expect(query(filterItems, 'f').getSnapshot()).toMatchObject({ value: ['first'], pending: false })
    stops.forEach((stop) => stop())
  })

  test('with other arguments is another query', async () => {
    expect(query(filterItems, 'f')).not.toBe(query(filterItems, 'g'))
    expect(query(filterItems, 'f')).toBe(query(filterItems, 'f'))
    expect(() => query(filterItems as unknown as (blob: Blob) => Promise<string[]>, new Blob(['x']))).toThrow(/A query takes data arguments/)
  })
})

describe('single flight', () => {
  test('a call that revalidates a shown query brings its new value in the same answer, before the call resolves', async () => {
    const list = await show(query(listItems))
    const other = await show(query(createServerReference('q-other', 'other')))
    requests.length = 0
    const runsBefore = listRuns
    const length = await addItem('second')
    // the store changed before the call's promise resolved
    expect(list.snapshots.at(-1)).toMatchObject({ value: [...items], pending: false, refreshing: false })
    expect(length).toBe(items.length)
    expect(requests.map((r) => r.path)).toEqual(['/_server/q-add'])
    expect(JSON.parse(Buffer.from(requests[0]!.queries!, 'base64url').toString('utf8'))).toHaveLength(2)
    expect(listRuns).toBe(runsBefore + 1)
    // a query the call did not touch was not run again
    expect(other.snapshots.filter((s) => !s.pending)).toHaveLength(1)
    list.stop()
    other.stop()
  })

  test('revalidatePath refreshes the queries that declared the path', async () => {
    const count = await show(query(countItems))
    requests.length = 0
    await touchStats()
    expect(requests).toHaveLength(1)
    expect(count.snapshots.at(-1)).toMatchObject({ value: items.length })
    count.stop()
  })

  test('an error in a query run again reaches that query, not the call', async () => {
    const count = await show(query(countItems))
    failCount = true
    await expect(touchStats()).resolves.toBe('ok')
    expect(count.snapshots.at(-1)).toMatchObject({ value: items.length, error: { code: 'COUNTER_DOWN', message: 'The counter is down.' } })
    count.stop()
  })

  test('a redirect wins: no query runs again, the page follows it', async () => {
    const list = await show(query(listItems))
    const runsBefore = listRuns
    requests.length = 0
    await addAndLeave('third')
    expect(redirects).toEqual(['/items'])
    expect(requests).toHaveLength(1)
    expect(listRuns).toBe(runsBefore)
    list.stop()
  })

  test('a hidden query a call revalidated runs again when it is shown', async () => {
    const list = await show(query(listItems))
    list.stop()
    await addItem('fourth')
    requests.length = 0
    const again = await show(query(listItems))
    await vi.waitFor(() => expect(again.snapshots.at(-1)).toMatchObject({ value: [...items], refreshing: false }))
    expect(requests.map((r) => r.path)).toEqual(['/_server/$refresh'])
    again.stop()
  })

  test('refresh() runs a query again; several refreshes at once share one request', async () => {
    const list = await show(query(listItems))
    requests.length = 0
    await Promise.all([query(listItems).refresh(), query(listItems).refresh()])
    expect(requests).toHaveLength(1)
    list.stop()
  })
})

describe('other tabs', () => {
  test('a revalidation goes to the other tabs of the page', async () => {
    const tab = new BroadcastChannel('use-server')
    const heard = new Promise<unknown>((resolve) => (tab.onmessage = ({ data }) => resolve(data)))
    const list = await show(query(listItems))
    await addItem('heard elsewhere')
    expect(await heard).toEqual({ paths: [], tags: ['items'], id: expect.any(String) })
    tab.close()
    list.stop()
  })

  test('a revalidation from another tab refreshes what it touches here, in one request', async () => {
    const list = await show(query(listItems))
    const count = await show(query(countItems))
    items.push('added by another tab')
    requests.length = 0
    const events: unknown[] = []
    configure({ onRevalidate: (revalidated) => void events.push(revalidated) })
    const tab = new BroadcastChannel('use-server')
    tab.postMessage({ tags: ['items'], paths: [] })
    await vi.waitFor(() => expect(list.snapshots.at(-1)).toMatchObject({ value: [...items], refreshing: false }))
    expect(requests.map((r) => r.path)).toEqual(['/_server/$refresh'])
    expect(events).toEqual([{ tags: ['items'], paths: [] }])
    expect(count.snapshots.filter((s) => s.refreshing)).toHaveLength(0)
    configure({ onRevalidate: undefined })
    tab.close()
    list.stop()
    count.stop()
  })

  test('a message that is not a revalidation is ignored', async () => {
    const list = await show(query(listItems))
    requests.length = 0
    const tab = new BroadcastChannel('use-server')
    for (const data of [null, 'items', { tags: 'items' }, { tags: ['items'] }]) tab.postMessage(data)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(requests).toEqual([])
    tab.close()
    list.stop()
  })
})
