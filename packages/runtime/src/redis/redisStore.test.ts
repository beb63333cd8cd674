import { createClient } from 'redis'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { startRedis, type RedisServer } from '../../../../test/support/redisServer.js'
import type { CacheStore, Revalidation } from '../server/cache/cacheStore.js'
import { redisStore, type RedisStore } from './redisStore.js'

// The Redis store against a real redis-server (Debian's), as several instances would share it:
// each store here is one instance, with its own connections and local copies.

let redis: RedisServer
const stores: RedisStore[] = []
let prefixes = 0
beforeAll(async () => {
  redis = await startRedis()
})
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()))
  vi.restoreAllMocks()
  // Failures are logged once per ten seconds: each test starts with a quiet log.
  ;(globalThis as Record<symbol, { quietUntil: Map<string, unknown> }>)[Symbol.for('use-server.cache-errors')]?.quietUntil.clear()
})
afterAll(() => redis.stop())

/** `count` instances sharing one prefix (a fresh one per test). */
async function instances(count: number, options: Parameters<typeof redisStore>[0] = {}): Promise<RedisStore[]> {
  const prefix = `test${++prefixes}:`
  const made = Array.from({ length: count }, () => redisStore({ url: redis.url, prefix, ...options }))
  stores.push(...made)
  await Promise.all(made.map((store) => store.ready))
  return made
}

const entry = (value: string, tags: string[] = [], paths: string[] = []) => ({ value, tags, paths })
async function fill(store: CacheStore, key: string, value: string, tags: string[] = [], paths: string[] = []) {
  const lookup = await store.get(key)
  expect(lookup.entry).toBeUndefined()
  await store.set(key, entry(value, tags, paths), { since: lookup.since! })
}

describe('redisStore', () => {
  test('a value filled by one instance is a hit on another, with its tags and paths', async () => {
    const [a, b] = await instances(2)
    await fill(a!, 'k', '"value"', ['posts'], ['/posts'])
    expect((await b!.get('k')).entry).toEqual(entry('"value"', ['posts'], ['/posts']))
  })

  test('an invalidation on one instance drops the value everywhere: in Redis at once, local copies through pub/sub', async () => {
    const [a, b] = await instances(2)
    const [direct] = await instances(1, { localEntries: 0 })
    await fill(a!, 'k', '1', ['posts'])
    await fill(a!, 'other', '2', ['users'])
    expect((await b!.get('k')).entry?.value).toBe('1') // b now has a local copy
    await a!.invalidate({ tags: ['posts'], paths: [] })
    expect((await direct!.get('k')).entry).toBeUndefined()
    expect((await a!.get('k')).entry).toBeUndefined()
    await vi.waitFor(async () => expect((await b!.get('k')).entry).toBeUndefined())
    expect((await b!.get('other')).entry?.value).toBe('2')
  })

  test('a value whose computation began before an invalidation of its tags is not kept', async () => {
    const [a, b] = await instances(2)
    const lookup = await a!.get('k')
    await b!.invalidate({ tags: ['posts'], paths: [] })
    await a!.set('k', entry('stale', ['posts']), { since: lookup.since! })
    expect((await b!.get('k')).entry).toBeUndefined()
    expect((await a!.get('k')).entry).toBeUndefined()
  })

  test('values expire after their ttl, and values without one get the default lifetime', async () => {
    const [a] = await instances(1, { localEntries: 0, defaultTtl: 60_000 })
    const lookup = await a!.get('short')
    await a!.set('short', entry('x'), { since: lookup.since!, ttl: 30 })
    await fill(a!, 'long', 'y')
    const raw = createClient({ url: redis.url })
    await raw.connect()
    const prefix = `test${prefixes}:`
    expect(await raw.pTTL(`${prefix}e:long`)).toBeGreaterThan(59_000)
    await raw.close()
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect((await a!.get('short')).entry).toBeUndefined()
  })

  test('every instance hears every revalidation published, its own included', async () => {
    const [a, b, c] = await instances(3)
    const heard: string[] = []
    for (const [name, store] of Object.entries({ a, b, c })) store!.subscribe((revalidation) => void heard.push(`${name}:${revalidation.id}`))
    await a!.publish({ id: 'r1', tags: ['posts'], paths: ['/'] })
    await vi.waitFor(() => expect(heard.sort()).toEqual(['a:r1', 'b:r1', 'c:r1']))
  })

  test('names and values with quotes, newlines, Lua and JSON syntax, and 1 MB values round-trip', async () => {
    const [a, b] = await instances(2)
    const tags = ['"quoted"', 'line\nbreak', "]] end redis.call('FLUSHALL') --", '\\', '{"a":1}', 'ünïcødé 🚀']
    const big = 'x'.repeat(1024 * 1024)
    const key = "key with 'quotes' and\nnewlines"
    await fill(a!, key, big, tags, ['/a b', '/ü'])
    const read = (await b!.get(key)).entry!
    expect({ ...read, value: read.value.length }).toEqual({ value: big.length, tags, paths: ['/a b', '/ü'] })
    expect(read.value === big).toBe(true)
    await a!.invalidate({ tags: ['line\nbreak'], paths: [] })
    await vi.waitFor(async () => expect((await b!.get(key)).entry).toBeUndefined())
  })

  test('names with lone surrogates (a caller\'s input in a tag) are cached and invalidated like others, and never trip the store', async () => {
    const [a, b] = await instances(2)
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    await fill(a!, 'k', '1', ['post:\ud800'], ['/\udfff'])
    expect((await b!.get('k')).entry?.value).toBe('1')
    await a!.invalidate({ tags: ['post:\ud800'], paths: [] })
    await vi.waitFor(async () => expect((await b!.get('k')).entry).toBeUndefined())
    // no failure, so no pause: the next operations go to Redis at once
    await fill(a!, 'next', '2', ['x\udc00y'])
    expect((await b!.get('next')).entry?.value).toBe('2')
    await b!.invalidate({ tags: [], paths: ['/\udfff'] })
    expect(error).not.toHaveBeenCalled()
  })

  test('a ttl longer than Redis accepts keeps the value as long as Redis can, still indexed by its tags', async () => {
    const [a, b] = await instances(2, { defaultTtl: Number.MAX_VALUE })
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    for (const [key, ttl] of [['forever', 1e21], ['max', Number.MAX_VALUE], ['default', undefined]] as const) {
      const lookup = await a!.get(key)
      await a!.set(key, entry(key, ['long']), { since: lookup.since!, ttl })
      expect((await b!.get(key)).entry?.value).toBe(key)
    }
    await b!.invalidate({ tags: ['long'], paths: [] })
    const raw = createClient({ url: redis.url })
    await raw.connect()
    expect(await raw.keys(`test${prefixes}:e:*`)).toEqual([])
    await raw.close()
    expect(error).not.toHaveBeenCalled()
  })

  test('messages on its channels that are not its own are ignored', async () => {
    const [a] = await instances(1)
    const heard: Revalidation[] = []
    a!.subscribe((revalidation) => void heard.push(revalidation))
    const raw = createClient({ url: redis.url })
    await raw.connect()
    const prefix = `test${prefixes}:`
    for (const junk of ['not json', '{"tags":"x"}', '[1,2]', '{"tags":[1],"paths":[],"id":"x"}', 'null']) {
      await raw.publish(`${prefix}revalidations`, junk)
      await raw.publish(`${prefix}invalidations`, junk)
    }
    await raw.publish(`${prefix}revalidations`, JSON.stringify({ tags: ['ok'], paths: [], id: 'fine' }))
    await vi.waitFor(() => expect(heard.map((r) => r.id)).toEqual(['fine']))
    await raw.close()
  })

  test('index sets stay near the number of live entries when values expire unread', async () => {
    const [a] = await instances(1, { localEntries: 0 })
    for (let i = 0; i < 200; i++) {
      const lookup = await a!.get(`k${i}`)
      await a!.set(`k${i}`, entry('v', ['hot']), { since: lookup.since!, ttl: 1 })
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    const raw = createClient({ url: redis.url })
    await raw.connect()
    expect(await raw.sCard(`test${prefixes}:s:t:hot`)).toBeLessThan(20)
    await raw.close()
  })
})

describe('redisStore when Redis fails', () => {
  test('a wedged Redis (SIGSTOP): operations fail within the timeout; invalidations and publications are replayed once it answers', async () => {
    const [a, b] = await instances(2, { timeout: 300 })
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    await fill(a!, 'k', '1', ['posts'])
    const heardOnB: string[] = []
    b!.subscribe((revalidation) => void heardOnB.push(revalidation.id))
    const heardOnA: string[] = []
    a!.subscribe((revalidation) => void heardOnA.push(revalidation.id))
    redis.pause()
    try {
      const started = Date.now()
      await expect(b!.get('k')).rejects.toThrow(/did not answer within 300 ms/)
      // failing at once for a moment rather than each call waiting again
      await expect(b!.get('k')).rejects.toThrow(/failed less than/)
      await expect(a!.invalidate({ tags: ['posts'], paths: [] })).rejects.toThrow()
      await expect(a!.publish({ id: 'during', tags: ['posts'], paths: [] })).rejects.toThrow()
      expect(Date.now() - started).toBeLessThan(3000)
      // the browsers of this instance hear of it anyway
      expect(heardOnA).toEqual(['during'])
    } finally {
      redis.resume()
    }
    await vi.waitFor(async () => expect((await b!.get('k').catch(() => ({ entry: 'unreachable' }))).entry).toBeUndefined(), { timeout: 8000, interval: 200 })
    await vi.waitFor(() => expect(heardOnB).toContain('during'), { timeout: 8000 })
    expect(error.mock.calls.some((args) => /the cache store failed to/.test(String(args[0])))).toBe(true)
  })

  test('more invalidations than it can queue while Redis is away: once back, every value goes, on every instance, never a stale one', async () => {
    const [a, b, c] = await instances(3, { timeout: 300 })
    const prefix = `test${prefixes}:`
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await fill(b!, 'early', 'E', ['tag-0'])
    await fill(b!, 'late', 'L', ['tag-10000'])
    await fill(b!, 'bulky', 'B', [`bulky:`.padEnd(1000, 'x')])
    expect((await c!.get('early')).entry?.value).toBe('E') // c keeps a local copy, and makes no call while Redis is away
    const computing = await b!.get('computing') // a value whose computation began before the invalidations
    redis.pause()
    try {
      // 10 001 distinct tags, then 5 000 of 1 000 characters (a caller's input): more than the queue keeps
      for (let i = 0; i <= 10_000; i++) await a!.invalidate({ tags: [`tag-${i}`], paths: [] }).catch(() => {})
      for (let i = 0; i < 5000; i++) await a!.invalidate({ tags: [`bulky:${i}:`.padEnd(1000, 'x')], paths: [] }).catch(() => {})
    } finally {
      redis.resume()
    }
    // replayed: nothing any of those tags touched survives, in Redis or in c's local copies
    await vi.waitFor(async () => {
      for (const key of ['early', 'late']) expect((await c!.get(key).catch(() => ({ entry: 'unreachable' }))).entry).toBeUndefined()
    }, { timeout: 8000, interval: 200 })
    await b!.set('computing', entry('stale', ['tag-0']), { since: computing.since! })
    const raw = createClient({ url: redis.url })
    await raw.connect()
    expect(await raw.keys(`${prefix}e:*`)).toEqual([])
    await raw.close()
    expect(warn).toHaveBeenCalledWith('use-server: the Redis store got more invalidations than it keeps while Redis is unreachable; once Redis is back, every cached value is dropped, on every instance.')
  }, 30_000)

  test('Redis killed and started again: the store reconnects, and meanwhile fails fast without crashing', async () => {
    const [a] = await instances(1, { timeout: 300 })
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    await redis.kill()
    try {
      await vi.waitFor(() => expect(a!.get('k')).rejects.toThrow(), { timeout: 3000 })
      await expect(a!.invalidate({ tags: ['x'], paths: [] })).rejects.toThrow()
    } finally {
      await redis.restart()
    }
    await vi.waitFor(async () => expect((await a!.get('k')).since).toBeTypeOf('number'), { timeout: 10_000, interval: 200 })
    await fill(a!, 'after', 'back')
    expect((await a!.get('after')).entry?.value).toBe('back')
    expect(error).toHaveBeenCalled()
  })

  test('close() with commands a wedged Redis never answers returns within the timeout (a shutdown never hangs on it)', async () => {
    const [a] = await instances(1, { timeout: 300 })
    vi.spyOn(console, 'error').mockImplementation(() => {})
    redis.pause()
    try {
      await expect(a!.get('k')).rejects.toThrow(/did not answer/) // its command stays unanswered
      const started = Date.now()
      await a!.close()
      expect(Date.now() - started).toBeLessThan(2000)
    } finally {
      redis.resume()
    }
  })

  test('a store whose Redis is not there at all: the first operation waits at most the timeout', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const store = redisStore({ url: 'redis://127.0.0.1:1', timeout: 200 })
    stores.push(store)
    const started = Date.now()
    await expect(store.get('k')).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(2000)
    expect(error).toHaveBeenCalled()
  })

  test('checks its options', () => {
    // a URL without its scheme, as often pasted from a host's dashboard: the message says what was wrong, without the password
    expect(() => redisStore({ url: 'localhost:6379' })).toThrow(
      'use-server: redisStore() was given the url "localhost:6379", which is not a Redis URL (Protocol - localhost: - is not a valid Redis protocol. Expected redis: or rediss:). Write redis[s]://[[user][:password]@]host[:port][/db].',
    )
    expect(() => redisStore({ url: 'default:hunter2@cache.internal:6379' })).toThrow(/given the url "default:\*\*\*@cache\.internal:6379", which is not a Redis URL/)
    vi.stubEnv('REDIS_URL', 'redis//:hunter2@cache.internal')
    expect(() => redisStore()).toThrow(/given the url "redis\/\/:\*\*\*@cache\.internal" \(from REDIS_URL\), which is not a Redis URL \(Invalid URL\)/)
    vi.unstubAllEnvs()
    expect(() => redisStore({ timeout: 0 })).toThrow(/timeout/)
    expect(() => redisStore({ localEntries: -1 })).toThrow(/localEntries/)
  })
})
