import { configure, createServerReference, enableStreams, ServerFunctionError } from '@use-server/runtime/client'
import { streams } from '../../packages/runtime/src/client/streams.js'
import { cookies, registerServerReference, revalidatePath } from '@use-server/runtime/server'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { startServer, type TestServer } from './harness.js'

let generatorFinished = false
registerServerReference(
  async function* count(limit: number) {
    try {
      cookies().set('streamed', 'yes')
      for (let i = 0; i < limit; i++) {
        await new Promise((r) => setTimeout(r, 5))
        yield { i, at: new Date(i) }
      }
      revalidatePath('/counts')
      return 'finished'
    } finally {
      generatorFinished = true
    }
  },
  'stream-count',
  'count',
)
registerServerReference(
  async function* failing() {
    yield 1
    throw new Error('broke after one value')
  },
  'stream-failing',
  'failing',
)
registerServerReference(
  async function* lateCookie() {
    yield 1
    cookies().set('late', 'no')
  },
  'stream-late-cookie',
  'lateCookie',
)
registerServerReference(async () => 'quick', 'stream-quick', 'quick')

let server: TestServer
beforeAll(async () => {
  // (a 'use server' module that exports an async generator makes its stubs call it)
  enableStreams()
  server = await startServer({ dev: true, onError: () => {} })
  configure({ base: server.base, parallel: false })
})
afterAll(() => server.close())

const count = createServerReference('stream-count', 'count')

describe('async generator server functions stream their values', () => {
  test('values arrive in order, then the return value, with effects', async () => {
    const onRevalidate = vi.fn()
    configure({ onRevalidate })
    const stream = (await count(3)) as AsyncGenerator<{ i: number; at: Date }, string>
    const values: number[] = []
    let step = await stream.next()
    while (!step.done) {
      expect(step.value.at).toBeInstanceOf(Date)
      values.push(step.value.i)
      step = await stream.next()
    }
    expect(values).toEqual([0, 1, 2])
    expect(step.value).toBe('finished')
    expect(onRevalidate).toHaveBeenCalledWith({ paths: ['/counts'], tags: [], id: expect.any(String) })
  })

  test('cookies set before the first value are sent; after it they are refused', async () => {
    const response = await fetch(`${server.base}/stream-count`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[[1],0]' })
    expect(response.headers.getSetCookie()).toEqual(['streamed=yes; Path=/'])
    await response.text()
    const late = (await createServerReference('stream-late-cookie', 'lateCookie')()) as AsyncIterable<unknown>
    const error = await (async () => {
      for await (const _ of late) void _
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ServerFunctionError)
    expect((error as Error).message).toMatch(/set cookies before the first yield/)
  })

  test('an error after some values reaches the consumer as a ServerFunctionError', async () => {
    const received: unknown[] = []
    const error = await (async () => {
      for await (const value of (await createServerReference('stream-failing', 'failing')()) as AsyncIterable<unknown>) received.push(value)
    })().catch((e: unknown) => e)
    expect(received).toEqual([1])
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', message: 'broke after one value' })
  })

  test('a stream does not hold up the queue of calls', async () => {
    const stream = (await count(50)) as AsyncGenerator<unknown>
    await stream.next()
    expect(await createServerReference('stream-quick', 'quick')()).toBe('quick')
    await stream.return(undefined)
  })

  test('a consumer that stops early stops the generator on the server', async () => {
    generatorFinished = false
    for await (const value of (await count(1000)) as AsyncIterable<{ i: number }>) {
      if (value.i === 2) break
    }
    await vi.waitFor(() => expect(generatorFinished).toBe(true))
  })
})

test('a page that never enabled streams gets a clear error for a streamed answer', async () => {
  const read = streams.read
  streams.read = undefined
  try {
    const error = await createServerReference('stream-count', 'count')(1).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ServerFunctionError)
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringMatching(/To read a streamed answer, call enableStreams\(\)/) })
  } finally {
    streams.read = read
  }
})
