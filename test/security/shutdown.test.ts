import { stringify } from 'devalue'
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { startRedis, type RedisServer } from '../support/redisServer.js'
import { startNodeServer } from '../vite/support/processes.js'
import { FIXTURE_KEY, startHostileApp, type HostileApp } from './support/hostileApp.js'
import { rawCall, rawSocket } from './support/rawRequest.js'

// SIGTERM on the embedded server (`node dist/server/index.js`) under what an operator meets: a
// Redis that stopped answering, and a browser whose event stream comes back on the same keep-alive
// connection while calls are still draining. The process must exit 0, soon, every time.

let redis: RedisServer
let app: HostileApp
beforeAll(async () => {
  redis = await startRedis()
  app = await startHostileApp({ REDIS_URL: redis.url })
}, 120_000)
beforeEach(async () => {
  if (app.server.child.exitCode !== null || app.server.child.signalCode !== null) await app.restart()
})
afterAll(async () => {
  redis?.resume()
  app?.server.child.kill('SIGKILL')
  await app?.remove()
  await redis?.stop()
})

const call = (name: string, args: unknown[]) => rawCall(app.origin, app.ids[name]!, stringify(args))

/**
 * Sends SIGTERM; resolves with the exit code and how long the process took to exit, or with code
 * 'hung' after 15 s (the process is then killed, so the next test starts a fresh one).
 */
function terminate(): Promise<{ code: number | null | 'hung'; ms: number }> {
  const child = app.server.child
  const started = performance.now()
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) => child.once('exit', (code) => resolve({ code, ms: performance.now() - started })))
  child.kill('SIGTERM')
  const hung = new Promise<{ code: 'hung'; ms: number }>((resolve) => setTimeout(() => resolve({ code: 'hung', ms: Infinity }), 15_000).unref())
  return Promise.race([exited, hung]).then(async (result) => {
    if (result.code === 'hung') child.kill('SIGKILL')
    await exited
    return result
  })
}

/** A raw keep-alive connection that sends requests one after another and collects all it reads. */
function keepAlive(): Promise<{ socket: Socket; text: () => string; get(path: string): void; closed: Promise<void> }> {
  const { port } = new URL(app.origin)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1')
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (text += chunk))
    const closed = new Promise<void>((done) => socket.once('close', () => done()))
    socket.once('error', reject)
    socket.once('connect', () =>
      resolve({
        socket,
        text: () => text,
        get: (path) => socket.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\naccept: text/event-stream\r\nconnection: keep-alive\r\n\r\n`),
        closed,
      }),
    )
  })
}

describe('SIGTERM', () => {
  test('with Redis wedged (SIGSTOP) and its commands unanswered: the process still exits 0, within seconds', async () => {
    expect((await call('cachedEcho', ['warm'])).status).toBe(200)
    redis.pause()
    try {
      // answered uncached after the store's timeout; its Redis command stays unanswered
      expect((await call('cachedEcho', ['while wedged'])).status).toBe(200)
      const { code, ms } = await terminate()
      expect(code).toBe(0)
      expect(ms).toBeLessThan(8000)
      expect(app.server.output()).toContain('use-server: stopped.')
    } finally {
      redis.resume()
    }
  }, 30_000)

  test('with a cache store whose close() never settles: the process exits 0 after 5 s, and says why', async () => {
    await app.server.stop()
    app.server = await startNodeServer('dist/server/index.js', app.root, { USE_SERVER_KEY: FIXTURE_KEY, STORE_CLOSE_HANGS: '1' })
    app.origin = app.server.origin
    const { code, ms } = await terminate()
    expect(code).toBe(0)
    expect(ms).toBeLessThan(12_000)
    expect(app.server.output()).toContain('use-server: closing the cache store took longer than 5 s; exiting without it.')
  }, 30_000)

  test('an event stream asked for again on its keep-alive connection while calls drain is told to go elsewhere', async () => {
    const connection = await keepAlive()
    connection.get('/_server/$events')
    await vi.waitFor(() => expect(connection.text()).toContain('retry: 1000'))
    // a call in flight for the whole drain: `hang` never settles, the plugin's timeout answers it after 1 s
    const hanging = call('hang', [])
    await new Promise((resolve) => setTimeout(resolve, 100))
    const exited = terminate()
    // the stream ends with the reconnection hint; the browser asks again at once, on the same connection
    await vi.waitFor(() => expect(connection.text()).toMatch(/retry: 500\n\n\r\n0\r\n\r\n$/))
    const before = connection.text().length
    connection.get('/_server/$events')
    expect((await hanging).status).toBe(504)
    const { code, ms } = await exited
    expect(code).toBe(0)
    // the drain lasts as long as the call, not the 10 s shutdownTimeout a stream opened meanwhile would hold it
    expect(ms).toBeLessThan(5000)
    await connection.closed
    const again = connection.text().slice(before)
    expect(again).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*connection: close\r\n[\s\S]*retry: 500\n\n/i)
  }, 30_000)

  // A refused upload's connection lingers up to 2 s while the rest of its body is dropped: SIGTERM
  // must not wait for it beyond that, nor for a client that never stops sending.
  test('with a refused upload still being sent on its connection: the process exits 0 within seconds', async () => {
    const client = rawSocket(app.origin)
    client.socket.write(client.head('POST', `/_server/${app.ids.echo}`, { 'content-type': 'application/json', 'content-length': 10 ** 12 }))
    const writer = setInterval(() => client.socket.writable && client.socket.write('x'.repeat(16 * 1024)), 10)
    try {
      await vi.waitFor(() => expect(client.received()).toMatch(/^HTTP\/1\.1 413/))
      const { code, ms } = await terminate()
      expect(code).toBe(0)
      expect(ms).toBeLessThan(5000)
    } finally {
      clearInterval(writer)
      client.socket.destroy()
    }
  }, 30_000)
})
