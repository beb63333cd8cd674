import { createClient } from 'redis'
import { stringify } from 'devalue'
import { connect, type Socket } from 'node:net'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { launchChromium, openPage } from '../e2e/support/browser.js'
import { startRedis, type RedisServer } from '../support/redisServer.js'
import { expectRefused } from './support/expectRefused.js'
import { expectUnharmed } from './support/expectUnharmed.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { rawCall, rawRequest } from './support/rawRequest.js'

// The surfaces of issue 16, attacked: the revalidation stream (GET /_server/$events: cross-site,
// too many connections, clients that never read or leave at once), cache keys made of a caller's
// arguments, and a cache store (Redis) that is wedged or down. The target is the hostile fixture's
// production server with its Redis store (events: at most 8 streams, a 500 ms heartbeat).

let redis: RedisServer
let app: HostileApp
let browser: Browser | undefined
beforeAll(async () => {
  redis = await startRedis()
  app = await startHostileApp({ REDIS_URL: redis.url })
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await app?.remove()
  await redis?.stop()
})

const EVENTS = '/_server/$events'

/** A stream opened on a raw socket, as any client could: its text so far, and the socket. */
function openStream(headers: Record<string, string> = {}): Promise<{ socket: Socket; text: () => string; closed: Promise<void> }> {
  const { port } = new URL(app.origin)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1')
    let text = ''
    const closed = new Promise<void>((done) => socket.once('close', () => done()))
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (text += chunk))
    socket.once('error', reject)
    socket.once('connect', () => {
      const lines = Object.entries({ host: `127.0.0.1:${port}`, accept: 'text/event-stream', ...headers }).map(([name, value]) => `${name}: ${value}`)
      socket.write(`GET ${EVENTS} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`)
      resolve({ socket, text: () => text, closed })
    })
  })
}

const call = (name: string, args: unknown[]) => rawCall(app.origin, app.ids[name]!, stringify(args))

describe('the revalidation stream', () => {
  test.each([
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site', origin: 'https://sub.127.0.0.1' }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Origin: null', { origin: 'null', 'sec-fetch-site': 'same-origin' }],
    ['a foreign Referer', { referer: 'https://evil.example/page' }],
  ])('an EventSource from another site (%s) is refused with a 403', async (_, headers) => {
    expectRefused(await rawRequest(app.origin, { method: 'GET', path: EVENTS, headers }), 403, /Cross-site event stream refused/)
    await expectUnharmed(app)
  })

  test.each(['POST', 'PUT', 'DELETE'])('%s is a 405 that names GET', async (method) => {
    const response = await rawRequest(app.origin, { method, path: EVENTS, headers: { 'content-type': 'application/json' }, body: '[]' })
    expectRefused(response, 405, /read with GET/)
    expect(response.headers.allow).toBe('GET')
  })

  test('past maxConnections a 503 with Retry-After, and places free up as clients leave', async () => {
    const streams = await Promise.all(Array.from({ length: 8 }, () => openStream()))
    await vi.waitFor(() => expect(streams.every((stream) => stream.text().includes('retry: 1000'))).toBe(true))
    const refused = await rawRequest(app.origin, { method: 'GET', path: EVENTS })
    expect(refused.status).toBe(503)
    expect(refused.headers['retry-after']).toBe('1')
    expect(refused.envelope?.error).toEqual({ code: 'TOO_MANY_CONNECTIONS', message: expect.stringMatching(/8 revalidation streams open \(events\.maxConnections\); try again later/) })
    // calls are not streams: they go on
    await expectUnharmed(app)
    for (const stream of streams) stream.socket.destroy()
    const again = await vi.waitFor(async () => {
      const stream = await openStream()
      await vi.waitFor(() => expect(stream.text()).toMatch(/^HTTP\/1\.1 (200|503)/))
      if (!stream.text().startsWith('HTTP/1.1 200')) {
        stream.socket.destroy()
        throw new Error('not yet freed')
      }
      return stream
    })
    again.socket.destroy()
  })

  test('a page refused a stream (503 at maxConnections) connects once a place is free, and hears revalidations', async () => {
    const streams = await Promise.all(Array.from({ length: 8 }, () => openStream()))
    await vi.waitFor(() => expect(streams.every((stream) => stream.text().includes('retry: 1000'))).toBe(true))
    browser = await launchChromium()
    const { page, context } = await openPage(browser)
    const answers: number[] = []
    page.on('response', (response) => void (response.url().endsWith(EVENTS) && answers.push(response.status())))
    await page.goto(`${app.origin}/`)
    await page.evaluate(() => {
      const page = globalThis as unknown as { heard: string[]; connectRevalidations(): () => void }
      page.heard = []
      addEventListener('use-server:revalidate', (event) => page.heard.push(...(event as CustomEvent<{ tags: string[] }>).detail.tags))
      page.connectRevalidations()
    })
    // the browser's EventSource gives up for good on an answer that is not a stream
    await vi.waitFor(() => expect(answers).toContain(503))
    for (const stream of streams) stream.socket.destroy()
    await vi.waitFor(() => expect(answers).toContain(200), { timeout: 15_000, interval: 200 })
    await vi.waitFor(
      async () => {
        await call('revalidatePost', ['pushed'])
        expect(await page.evaluate(() => (globalThis as unknown as { heard: string[] }).heard)).toContain('post:pushed')
      },
      { timeout: 5000, interval: 300 },
    )
    await context.close()
  }, 60_000)

  test('500 clients that connect and leave at once leave no stream behind', async () => {
    for (let round = 0; round < 50; round++) {
      const streams = await Promise.all(Array.from({ length: 10 }, () => openStream()))
      for (const stream of streams) stream.socket.destroy()
    }
    // all 8 places are free again
    await vi.waitFor(async () => {
      const streams = await Promise.all(Array.from({ length: 8 }, () => openStream()))
      try {
        await vi.waitFor(() => expect(streams.every((stream) => stream.text().startsWith('HTTP/1.1 '))).toBe(true))
        expect(streams.map((stream) => stream.text().slice(0, 12))).toEqual(Array(8).fill('HTTP/1.1 200'))
      } finally {
        for (const stream of streams) stream.socket.destroy()
      }
    }, { timeout: 8000, interval: 500 })
    await expectUnharmed(app)
  })

  test('a client that never reads is dropped once its backlog grows; the others keep receiving', async () => {
    const slow = await openStream()
    const healthy = await openStream()
    await vi.waitFor(() => expect(slow.text()).toContain('retry: 1000'))
    slow.socket.pause() // reads nothing more: the kernel's buffers fill, then the server's
    const before = (await call('observed', [])).envelope!.value.rss as number
    // 200 revalidations of 1 000 tags (about 100 KB of event each): ~20 MB to a client that takes none
    for (let i = 0; i < 200; i++) expect((await call('revalidateMany', [1000])).status).toBe(200)
    slow.socket.resume()
    await slow.closed
    // it got a prefix of what was sent, and then the server hung up
    expect(slow.text().length).toBeLessThan(20 * 1024 * 1024)
    await vi.waitFor(() => expect(healthy.text().split('event: revalidate').length - 1).toBe(200), { timeout: 20_000 })
    const after = (await call('observed', [])).envelope!.value.rss as number
    expect(after - before).toBeLessThan(64 * 1024 * 1024)
    healthy.socket.destroy()
    await expectUnharmed(app)
  }, 60_000)
})

describe('cache keys from callers’ arguments', () => {
  test('arguments that print alike are different keys; data keys named like prototype members are data', async () => {
    const cases: unknown[][] = [['a', 'b'], ['a,b'], [['a', 'b']], ['1'], [1], [1n], [{ constructor: 'x', toString: 'y' }], [{ then: 'z' }], [new Map([['__proto__', 1]])], [null], [undefined], []]
    const first = await Promise.all(cases.map((args) => call('cachedEcho', args)))
    for (const [index, response] of first.entries()) {
      expect(response.status).toBe(200)
      expect(response.envelope!.value.args).toEqual(cases[index])
    }
    // each is its own entry, and a hit the second time
    const second = await Promise.all(cases.map((args) => call('cachedEcho', args)))
    expect(second.map((response) => response.envelope!.value.run)).toEqual(first.map((response) => response.envelope!.value.run))
    expect(new Set(first.map((response) => response.envelope!.value.run)).size).toBe(cases.length)
  })

  test('a 900 KB argument makes a key of fixed size (a digest), never a key the size of the argument', async () => {
    const big = 'k'.repeat(900 * 1024)
    expect((await call('cachedEcho', [big])).status).toBe(200)
    const raw = createClient({ url: redis.url })
    await raw.connect()
    const keys = await raw.keys('use-server:e:*')
    await raw.close()
    expect(keys.length).toBeGreaterThan(0)
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThan(100)
  })

  test('a server function as an argument cannot be a key: a 400 that says so, and the function does not run', async () => {
    const runsBefore = (await call('cachedEcho', ['count runs'])).envelope!.value.run as number
    // the argument list [add], as the client encodes a server function
    const refused = await rawCall(app.origin, app.ids.cachedEcho!, `[[1],["ServerReference",2],{"id":3},${JSON.stringify(app.ids.add)}]`)
    expectRefused(refused, 400, /cachedEcho is cached by its arguments, and argument 1 cannot be part of a cache key/)
    expect(refused.envelope!.error!.code).toBe('UNCACHEABLE_ARGUMENT')
    expect((await call('cachedEcho', ['count runs again'])).envelope!.value.run).toBe(runsBefore + 1)
  })
})

describe('tags made of a caller\'s input', () => {
  test('a tag with a lone surrogate is revalidated like any other, and never turns the Redis cache off', async () => {
    const first = await call('cachedEcho', ['surrogate'])
    // "\ud800" in the JSON body: half a character, which Redis' JSON parser (cjson) refuses
    const response = await rawCall(app.origin, app.ids.revalidatePost!, '[[1],"\\ud800"]')
    expect(response.status).toBe(200)
    expect(response.envelope!.value).toBe('\ud800')
    // `post:…` is not one of cachedEcho's tags: its value is still a hit, and caching goes on
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect((await call('cachedEcho', ['surrogate'])).envelope!.value.run).toBe(first.envelope!.value.run)
    }
    expect(app.server.output()).not.toMatch(/cache store failed/)
    await expectUnharmed(app)
  })
})

describe('a cache store that fails', () => {
  test('a wedged Redis (SIGSTOP): calls are answered correctly within about the store timeout, never a 500', async () => {
    const warm = await call('cachedEcho', ['wedged'])
    redis.pause()
    try {
      const started = performance.now()
      const during = await Promise.all([call('cachedEcho', ['wedged']), call('cachedEcho', ['other']), call('revalidateMany', [1]), call('add', [1, 2])])
      expect(during.map((response) => response.status)).toEqual([200, 200, 200, 200])
      expect(during[0]!.envelope!.value.args).toEqual(['wedged'])
      expect(performance.now() - started).toBeLessThan(5000)
    } finally {
      redis.resume()
    }
    expect(warm.status).toBe(200)
    expect(app.server.output()).toMatch(/use-server: the cache store failed to (read a value|invalidate cached values)/)
    await expectUnharmed(app)
  })

  test('Redis down (killed): calls go on uncached, revalidations are replayed once it is back, the process never exits', async () => {
    await redis.kill()
    try {
      for (let i = 0; i < 20; i++) {
        const response = await call('cachedEcho', ['down'])
        expect(response.status).toBe(200)
        expect(response.envelope!.value.args).toEqual(['down'])
      }
      expect((await call('revalidateMany', [2])).status).toBe(200)
      await expectUnharmed(app)
    } finally {
      await redis.restart()
    }
    // back: values are cached again (a hit the second time)
    await vi.waitFor(
      async () => {
        const first = await call('cachedEcho', ['back'])
        const second = await call('cachedEcho', ['back'])
        expect(second.envelope!.value.run).toBe(first.envelope!.value.run)
      },
      { timeout: 15_000, interval: 300 },
    )
    // the failures were logged, rate-limited, and say what went on instead
    const log = app.server.output()
    expect(log).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable or failing; calls go on uncached/)
    expect(log.split('\n').filter((line) => line.includes('failed to read a value')).length).toBeLessThan(5)
    await expectUnharmed(app)
  }, 60_000)
})
