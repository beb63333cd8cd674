import { closeEventStreams, configureServer, memoryStore, registerServerReference, revalidatePath, revalidateTag } from '@use-server/runtime/server'
import { parse, stringify } from 'devalue'
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { post, startServer, type TestServer } from './harness.js'

// The revalidation stream (GET <base>/$events) over real HTTP: what a browser's EventSource reads.

registerServerReference(async (tag: string) => (revalidateTag(tag), revalidatePath('/posts'), 'done'), 'e-touch', 'touch')

let server: TestServer
let off: TestServer
beforeAll(async () => {
  configureServer({ cache: memoryStore() })
  ;[server, off] = await Promise.all([startServer({ dev: true, events: { maxConnections: 3, heartbeat: 200, retry: 700 } }), startServer({ dev: true })])
})
afterAll(async () => {
  closeEventStreams()
  await Promise.all([server.close(), off.close()])
})

/** An open stream, read as text as it arrives. */
async function open(base = server.base, headers: Record<string, string> = {}) {
  const controller = new AbortController()
  const response = await fetch(`${base}/$events`, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal })
  let text = ''
  const reading = (async () => {
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        text += decoder.decode(value, { stream: true })
      }
    } catch {
      // aborted
    }
  })()
  return { response, text: () => text, ended: reading, close: () => controller.abort() }
}

const touch = (tag: string) => post(`${server.base}/e-touch`, stringify([tag]))

describe('GET <base>/$events', () => {
  test('streams every revalidation as a revalidate event, with the reconnection delay first', async () => {
    const stream = await open()
    expect(stream.response.status).toBe(200)
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(stream.response.headers.get('cache-control')).toBe('no-store, no-transform')
    await vi.waitFor(() => expect(stream.text()).toMatch(/^retry: 700\n/))
    const { revalidated } = parse(await (await touch('posts')).text()) as { revalidated: { id: string } }
    await vi.waitFor(() => expect(stream.text()).toContain('event: revalidate\ndata: {"tags":["posts"],"paths":["/posts"],"id":"'))
    // the call's own answer carries the same id, so its page skips the pushed copy
    expect(revalidated.id).toMatch(/^[A-Za-z0-9_-]{12}$/)
    expect(stream.text()).toContain(`"id":"${revalidated.id}"`)
    stream.close()
  })

  test('sends a heartbeat comment on an idle stream', async () => {
    const stream = await open()
    await vi.waitFor(() => expect(stream.text()).toContain(': heartbeat\n\n'), { timeout: 3000 })
    stream.close()
  })

  test('bounds the streams open at once: past the limit a 503 with Retry-After; a closed stream frees its place', async () => {
    const streams = await Promise.all([open(), open(), open()])
    const refused = await fetch(`${server.base}/$events`)
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('1')
    expect(await refused.text()).toMatch(/3 revalidation streams open \(events\.maxConnections\)/)
    streams[0]!.close()
    await vi.waitFor(async () => {
      const again = await open()
      expect(again.response.status).toBe(200)
      again.close()
    })
    for (const stream of streams) stream.close()
  })

  test('is refused cross-site, with POST, and when the events option is off', async () => {
    const attempts: Array<Record<string, string>> = [{ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }, { origin: 'null' }, { origin: 'https://evil.example' }]
    for (const headers of attempts) {
      const response = await fetch(`${server.base}/$events`, { headers })
      expect(response.status).toBe(403)
      expect(await response.text()).toMatch(/Cross-site event stream refused/)
    }
    const posted = await post(`${server.base}/$events`, '[]')
    expect(posted.status).toBe(405)
    expect(posted.headers.get('allow')).toBe('GET')
    const disabled = await fetch(`${off.base}/$events`)
    expect(disabled.status).toBe(404)
    expect(await disabled.text()).toMatch(/turn the stream on with the `events` option/)
  })

  test('a large revalidation sent to 200 streams that never read is one copy in memory, not 200', async () => {
    const wide = await startServer({ dev: true, events: { maxConnections: 300, heartbeat: 60_000, retry: 700 } })
    const { port } = new URL(wide.origin)
    const sockets: Socket[] = []
    try {
      for (let i = 0; i < 200; i++) {
        const socket = connect(Number(port), '127.0.0.1')
        await new Promise((resolve) => socket.once('connect', resolve))
        socket.write(`GET /_server/$events HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`)
        socket.pause()
        sockets.push(socket)
      }
      const reader = await open(wide.base)
      await vi.waitFor(() => expect(reader.text()).toMatch(/^retry: 700/))
      const rss = process.memoryUsage().rss
      // a tag made of a caller's 900 KB input, as `revalidateTag(\`post:${id}\`)` makes it
      expect((await post(`${wide.base}/e-touch`, stringify(['t'.repeat(900_000)]))).status).toBe(200)
      await vi.waitFor(() => expect(reader.text()).toContain(`"tags":["${'t'.repeat(900_000)}"]`))
      // encoded once per stream, it took 180 MB at once
      expect(process.memoryUsage().rss - rss).toBeLessThan(90 * 1024 * 1024)
      reader.close()
    } finally {
      for (const socket of sockets) socket.destroy()
      await wide.close()
    }
    // the places are shared by the process: free again for the next test
    await vi.waitFor(async () => {
      const stream = await open()
      stream.close()
      expect(stream.response.status).toBe(200)
    })
  })

  test('closeEventStreams ends every stream with a reconnection hint (a server shutting down)', async () => {
    const stream = await open()
    await vi.waitFor(() => expect(stream.text()).toMatch(/^retry: 700/))
    closeEventStreams({ retry: 250 })
    await stream.ended
    expect(stream.text()).toMatch(/retry: 250\n\n$/)
  })
})
