import { configure, createServerReference, query, ServerFunctionError } from '@use-server/runtime/client'
import { cached, cacheTag, cachePath, configureServer, cookies, memoryStore, registerServerReference, revalidatePath, revalidateTag } from '@use-server/runtime/server'
import { parse, stringify } from 'devalue'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { post, startServer, type TestServer } from './harness.js'

// The server data cache over real HTTP: cached() values, their tags, invalidation before single
// flight runs the page's queries again, one run for concurrent misses, and what cannot be cached.

const posts = ['first']
let reads = 0
const readPosts = cached(
  async function readPosts(prefix: string) {
    reads++
    cacheTag('posts')
    await new Promise((resolve) => setTimeout(resolve, 20))
    return { list: posts.filter((post) => post.startsWith(prefix)), at: new Date(0), seen: new Set([reads]) }
  },
  { tags: ['everything'] },
)
const readAbout = cached(async () => (cachePath('/about/'), `about ${reads++}`), { key: 'about' })
const readCookie = cached(async function readCookie() {
  return cookies().get('user')?.value
})
const readFunction = cached(async function readFunction() {
  return (() => 1) as unknown as string
})
const expiring = cached(async () => reads++, { key: 'expiring', ttl: 50 })
// Two functions alike in name and source, made at two places, each over its own table: one must
// never answer with the other's rows.
const staffRows: Record<string, string> = { salary: 'staff only: 90 000' }
const publicRows: Record<string, string> = { salary: 'not public' }
const readStaffRow = ((rows) => cached(async function readRow(name: string) { return rows[name] }))(staffRows)
const readPublicRow = ((rows) => cached(async function readRow(name: string) { return rows[name] }))(publicRows)

registerServerReference(async (prefix: string) => (await readPosts(prefix)).list, 'c-list', 'listPosts')
registerServerReference(readPosts, 'c-read', 'readPosts')
registerServerReference(async (post: string) => (posts.push(post), revalidateTag('posts'), posts.length), 'c-add', 'addPost')
registerServerReference(async () => (revalidatePath('/about'), 'ok'), 'c-touch-about', 'touchAbout')
registerServerReference(readAbout, 'c-about', 'readAbout')
registerServerReference(readCookie, 'c-cookie', 'readCookie')
registerServerReference(readFunction, 'c-function', 'readFunction')
registerServerReference(expiring, 'c-expiring', 'expiring')
registerServerReference(readPublicRow, 'c-public-row', 'readPublicRow')

const listPosts = createServerReference('c-list', 'listPosts') as (prefix: string) => Promise<string[]>
const addPost = createServerReference('c-add', 'addPost') as (post: string) => Promise<number>

let server: TestServer
beforeAll(async () => {
  server = await startServer({ dev: true })
  configure({ base: server.base })
})
afterAll(() => server.close())
beforeEach(() => configureServer({ cache: memoryStore() }))

/** A raw call (the body is devalue of the argument list, as the client sends it), answered as text. */
const call = async (id: string, args: unknown[] = [], headers: Record<string, string> = {}) => {
  const response = await post(`${server.base}/${id}`, stringify(args), { 'content-type': 'application/json', ...headers })
  return { status: response.status, text: await response.text() }
}

describe('cached()', () => {
  test('runs once per arguments, returns a fresh copy of what devalue carries, and keeps its tags for the caller', async () => {
    const before = reads
    const first = await call('c-read', ['f'])
    const second = await call('c-read', ['f'])
    expect(reads - before).toBe(1)
    expect(second.text).toBe(first.text)
    expect(first.text).toContain('Date')
    expect(first.text).toContain('Set')
    // the function's own tag, the option's, as what the answer depends on
    expect(first.text).toMatch(/"everything".*"posts"|"posts".*"everything"/)
    await call('c-read', ['g'])
    expect(reads - before).toBe(2)
  })

  test('two cached functions alike in name and source but made at two places keep their own values', async () => {
    expect(await readStaffRow('salary')).toBe('staff only: 90 000')
    expect(parse((await call('c-public-row', ['salary'])).text)).toEqual({ value: 'not public' })
    expect(await readStaffRow('salary')).toBe('staff only: 90 000')
  })

  test('concurrent misses of one key run the function once', async () => {
    const before = reads
    const answers = await Promise.all(Array.from({ length: 20 }, () => call('c-read', ['concurrent'])))
    expect(answers.every((answer) => answer.status === 200)).toBe(true)
    expect(reads - before).toBe(1)
  })

  test('revalidateTag drops the value before single flight runs the page’s queries again: they come back fresh', async () => {
    const store = query(listPosts, '')
    const stop = store.subscribe(() => {})
    await vi.waitFor(() => expect(store.getSnapshot().value).toEqual([...posts]))
    const before = reads
    await addPost('second')
    // fresh in the answer of the call itself, read through the cache after it was invalidated
    expect(store.getSnapshot().value).toEqual([...posts])
    expect(posts).toContain('second')
    expect(reads - before).toBe(1)
    stop()
  })

  test('revalidatePath drops values that declared the path (paths compare without trailing slash)', async () => {
    const first = await call('c-about')
    expect((await call('c-about')).text).toBe(first.text)
    await call('c-touch-about')
    expect((await call('c-about')).text).not.toBe(first.text)
  })

  test('ttl: a value is read again once it expires', async () => {
    const first = await call('c-expiring')
    expect((await call('c-expiring')).text).toBe(first.text)
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect((await call('c-expiring')).text).not.toBe(first.text)
  })

  test('a cached function cannot read the request (its value is shared by every caller)', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const answer = await call('c-cookie', [], { cookie: 'user=alice' })
    expect(answer.status).toBe(500)
    expect(answer.text).toMatch(/cookies\(\) reads the current request, but readCookie is a cached\(\) function.*pass what the value depends on as an argument/)
    error.mockRestore()
  })

  test('arguments that are not data are refused with a 400 that says which; values that are not data fail clearly', async () => {
    const read = createServerReference('c-read', 'readPosts') as (prefix: unknown) => Promise<unknown>
    // a server function is a value a client can send, but not part of a key
    const error = await read(createServerReference('c-list', 'listPosts')).catch((e: ServerFunctionError) => e)
    expect(error).toMatchObject({ code: 'UNCACHEABLE_ARGUMENT', status: 400 })
    expect((error as Error).message).toMatch(/readPosts is cached by its arguments, and argument 1 cannot be part of a cache key/)
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const value = await call('c-function')
    expect(value.status).toBe(500)
    expect(value.text).toMatch(/the value readFunction returned cannot be cached.*Return data/)
    logged.mockRestore()
  })

  test('an argument whose getter throws fails with the app\'s own error (a 500 with a digest in production), never a 400 that sends its text to the caller', async () => {
    const failure = new Error('connection to postgres://app:hunter2@db failed')
    const row = { get id(): never { throw failure } }
    await expect(readPosts(row as never)).rejects.toBe(failure)
  })

  test('a store that fails: the function runs uncached, the call succeeds, the failure is logged once', async () => {
    const broken = memoryStore()
    const down = () => Promise.reject(new Error('connection refused'))
    configureServer({ cache: { ...broken, get: down, set: down, invalidate: down, publish: down } })
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const before = reads
    expect((await call('c-read', ['down'])).status).toBe(200)
    expect((await call('c-read', ['down'])).status).toBe(200)
    expect(reads - before).toBe(2)
    expect(await addPost('while down')).toBeGreaterThan(0)
    const messages = error.mock.calls.map((args) => String(args[0]))
    expect(messages.filter((m) => m.includes('failed to read a value'))).toHaveLength(1)
    expect(messages.some((m) => m.includes('failed to invalidate cached values; other instances may serve them until the store is back'))).toBe(true)
    error.mockRestore()
  })

  test('a stored value that cannot be read (tampered, or of an older format) is logged, and the calls run uncached until a revalidation drops it', async () => {
    const store = memoryStore()
    const keys: string[] = []
    configureServer({ cache: { ...store, set: (key, entry, options) => (keys.push(key), store.set(key, entry, options)) } })
    await call('c-read', ['unreadable'])
    // the entry the store holds for that key, replaced by what devalue refuses (no such type)
    await store.invalidate({ tags: ['posts'], paths: [] })
    const { since } = await store.get(keys[0]!)
    await store.set(keys[0]!, { value: '[["Function","return process"]]', tags: ['posts'], paths: [] }, { since: since! })
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const before = reads
    expect((await call('c-read', ['unreadable'])).status).toBe(200)
    expect((await call('c-read', ['unreadable'])).status).toBe(200)
    expect(reads - before).toBe(2)
    expect(error.mock.calls.map((args) => String(args[0])).filter((m) => m.includes('failed to decode a stored value'))).toHaveLength(1)
    error.mockRestore()
    // dropped by a revalidation, the key is cached again
    await addPost('after the unreadable value')
    await call('c-read', ['unreadable'])
    await call('c-read', ['unreadable'])
    expect(reads - before).toBe(3)
  })

  test('checks its options', () => {
    expect(() => cached('x' as never)).toThrow(/takes a function/)
    expect(() => cached(async () => 1, { tags: [''] })).toThrow(/tags/)
    expect(() => cached(async () => 1, { ttl: 0 })).toThrow(/ttl/)
    expect(() => configureServer({ cache: {} as never })).toThrow(/must be a cache store/)
  })
})
