import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, test, vi } from 'vitest'
import { memoryStore } from './memoryStore.js'

const entry = (value: string, tags: string[] = [], paths: string[] = []) => ({ value, tags, paths })

async function fill(store: ReturnType<typeof memoryStore>, key: string, value = key, tags: string[] = [], paths: string[] = []) {
  const lookup = await store.get(key)
  expect(lookup.entry).toBeUndefined()
  await store.set(key, entry(value, tags, paths), { since: lookup.since! })
}

describe('memoryStore', () => {
  test('keeps entries until a tag or path they depend on is invalidated, and only those', async () => {
    const store = memoryStore()
    await fill(store, 'a', 'A', ['posts'])
    await fill(store, 'b', 'B', ['users'], ['/users'])
    await fill(store, 'c', 'C', [], ['/posts'])
    expect((await store.get('a')).entry?.value).toBe('A')
    await store.invalidate({ tags: ['posts'], paths: [] })
    expect((await store.get('a')).entry).toBeUndefined()
    expect((await store.get('b')).entry?.value).toBe('B')
    // a tag and a path of the same name are different things
    expect((await store.get('c')).entry?.value).toBe('C')
    await store.invalidate({ tags: [], paths: ['/users'] })
    expect((await store.get('b')).entry).toBeUndefined()
  })

  test('refuses a value computed while one of its tags was invalidated (it may be stale)', async () => {
    const store = memoryStore()
    const lookup = await store.get('k')
    await store.invalidate({ tags: ['posts'], paths: [] })
    await store.set('k', entry('old', ['posts']), { since: lookup.since! })
    expect((await store.get('k')).entry).toBeUndefined()
    // one started after the invalidation is kept
    await fill(store, 'k', 'new', ['posts'])
    expect((await store.get('k')).entry?.value).toBe('new')
  })

  test('is bounded by count and by size, least recently used out first', async () => {
    const store = memoryStore({ maxEntries: 2, maxBytes: 1000 })
    await fill(store, 'a')
    await fill(store, 'b')
    await store.get('a') // used: b is now the oldest
    await fill(store, 'c')
    expect((await store.get('b')).entry).toBeUndefined()
    expect((await store.get('a')).entry).toBeDefined()
    await fill(store, 'big', 'x'.repeat(600)) // 1 200 bytes: over the size on its own, never kept
    expect((await store.get('big')).entry).toBeUndefined()
    await fill(store, 'half', 'x'.repeat(300))
    await fill(store, 'half2', 'x'.repeat(300))
    expect((await store.get('half')).entry).toBeUndefined()
  })

  test('its size bound counts the names of tags and paths, not only values', async () => {
    const store = memoryStore({ maxBytes: 1_000_000 })
    // 50 tiny values, each tagged with 100 000 characters (per-item tags of a long list, or a caller's input)
    for (let i = 0; i < 50; i++) await fill(store, `k${i}`, 'v', [`${i}:`.padEnd(100_000, 'x')])
    let kept = 0
    for (let i = 0; i < 50; i++) if ((await store.get(`k${i}`)).entry) kept++
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThanOrEqual(5)
  })

  test('invalidations of long names (a caller\'s input in revalidateTag) are remembered within a bounded size', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const store = memoryStore()
    gc()
    const before = process.memoryUsage().heapUsed
    // 300 calls of `revalidateTag(\`post:${id}\`)` with a 1 MB id: 300 MB if every name is kept
    for (let i = 0; i < 300; i++) await store.invalidate({ tags: [`post:${i}:`.padEnd(1_000_000, 'x')], paths: [] })
    gc()
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(32 * 1024 * 1024)
    // and what it forgot it does not vouch for: a value computed before is not kept
    const lookup = { since: -1 }
    await store.set('k', entry('v', ['post:0:']), lookup)
    expect((await store.get('k')).entry).toBeUndefined()
  })

  test('expires entries after their ttl', async () => {
    vi.useFakeTimers()
    try {
      const store = memoryStore()
      const lookup = await store.get('k')
      await store.set('k', entry('v'), { since: lookup.since!, ttl: 1000 })
      vi.advanceTimersByTime(999)
      expect((await store.get('k')).entry).toBeDefined()
      vi.advanceTimersByTime(2)
      expect((await store.get('k')).entry).toBeUndefined()
    } finally {
      vi.useRealTimers()
    }
  })

  test('remembers a bounded number of invalidations, and then keeps nothing it cannot vouch for', async () => {
    const store = memoryStore()
    const lookup = await store.get('k')
    for (let i = 0; i < 10_001; i++) await store.invalidate({ tags: [`tag-${i}`], paths: [] })
    await store.set('k', entry('v', ['unrelated']), { since: lookup.since! })
    expect((await store.get('k')).entry).toBeUndefined()
    await fill(store, 'k', 'v', ['unrelated'])
    expect((await store.get('k')).entry).toBeDefined()
  })

  test('publishes to every subscriber of the process; a listener that throws does not stop the others', async () => {
    const store = memoryStore()
    const heard: string[] = []
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    store.subscribe(() => {
      throw new Error('listener bug')
    })
    const stop = store.subscribe((revalidation) => void heard.push(revalidation.id))
    await store.publish({ id: 'one', tags: ['t'], paths: [] })
    stop()
    await store.publish({ id: 'two', tags: ['t'], paths: [] })
    expect(heard).toEqual(['one'])
    expect(error).toHaveBeenCalledTimes(2)
    error.mockRestore()
  })

  test('checks its options', () => {
    expect(() => memoryStore({ maxEntries: -1 })).toThrow(/maxEntries.*≥ 0/)
    expect(() => memoryStore({ maxBytes: Number.NaN })).toThrow(/maxBytes/)
  })
})
