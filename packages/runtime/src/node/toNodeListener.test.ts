import { createServer, request as httpRequest, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { toNodeListener } from './toNodeListener.js'

const reported: unknown[] = []
let bodyRead: Promise<string> | undefined
let server: Server
let origin = ''
beforeAll(async () => {
  const listener = toNodeListener(
    async (request) => {
      const path = new URL(request.url).pathname
      if (path === '/throws') throw new Error('render failed')
      if (path.endsWith('/url')) return new Response(request.url)
      if (path === '/refuse') return new Response('too large', { status: 413 })
      if (path === '/refuse-reading') {
        // what a handler's body limit does: read a little, give up, cancel the rest
        const reader = request.body!.getReader()
        await reader.read()
        await reader.cancel()
        return new Response('too large', { status: 413 })
      }
      if (path === '/size') {
        const bytes = new Uint8Array(await request.arrayBuffer())
        return new Response(`${bytes.length} ${bytes.reduce((sum, byte) => (sum + byte) % 65_521, 0)}`)
      }
      if (path === '/slow-reader') {
        // reads with pauses: the body must wait for it (backpressure), not pile up or go missing
        let size = 0
        let sum = 0
        const reader = request.body!.getReader()
        for (let result = await reader.read(); !result.done; result = await reader.read()) {
          for (const byte of result.value) sum = (sum + byte) % 65_521
          if (Math.floor((size + result.value.length) / (4 << 20)) > Math.floor(size / (4 << 20))) await new Promise((r) => setTimeout(r, 100))
          size += result.value.length
        }
        return new Response(`${size} ${sum}`)
      }
      if (path === '/stream-echo') return new Response(request.body)
      if (path === '/answered-first') {
        bodyRead = request.text().then((text) => `read ${text.length}`, (error: Error) => `failed: ${error.message}`)
        return new Response('answered before the body')
      }
      if (path === '/abandoned') {
        bodyRead = request.text().then(() => 'read', (error: Error) => `failed: ${error.message}`)
        return new Promise<Response>(() => {})
      }
      if (path === '/echo') return new Response(`${request.method} ${await request.text()}`, { headers: { 'set-cookie': 'a=1' } })
      return new Response('page', { headers: { 'content-type': 'text/html' } })
    },
    { onError: (error) => reported.push(error) },
  )
  server = createServer(listener)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((r) => server.close(r)))

function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; allow?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(origin)
    const req = httpRequest({ hostname, port, path, method, headers }, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, allow: res.headers.allow, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('toNodeListener', () => {
  test('serves the Fetch handler: method, body and headers in, status, headers and body out', async () => {
    const response = await fetch(`${origin}/echo`, { method: 'POST', body: 'hello' })
    expect({ status: response.status, cookie: response.headers.get('set-cookie'), body: await response.text() }).toEqual({ status: 200, cookie: 'a=1', body: 'POST hello' })
  })

  // TRACE is the one such method Node's parser lets through (TRACK is a 400 there, CONNECT another event).
  test('TRACE (a method a Fetch Request cannot carry) is a 405 naming the ones served, and the server goes on', async () => {
    expect(await raw('TRACE', '/')).toEqual({ status: 405, allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS', body: 'TRACE requests are not served.' })
    expect(await (await fetch(`${origin}/`)).text()).toBe('page')
  })

  test('a handler that throws is reported and answered with a bare 500, and the server goes on', async () => {
    const response = await fetch(`${origin}/throws`)
    expect({ status: response.status, body: await response.text() }).toEqual({ status: 500, body: 'Internal Server Error' })
    expect(reported).toEqual([expect.objectContaining({ message: 'render failed' })])
    expect(await (await fetch(`${origin}/`)).text()).toBe('page')
  })

  test("a path that starts with // stays a path of the request's host, never a URL of another", async () => {
    // As a URL resolved against the host, `//evil.example/url` was http://evil.example/url: links an app
    // builds from request.url (a password reset mailed to the victim) would point at the attacker's site.
    expect((await raw('GET', '//evil.example/url', { host: 'shop.example' })).body).toBe('http://shop.example//evil.example/url')
    expect((await raw('GET', '/url?next=//evil.example', { host: 'shop.example' })).body).toBe('http://shop.example/url?next=//evil.example')
    expect((await raw('GET', '/url', { host: 'not a host' })).body).toBe('http://localhost/url')
  })

  // A page POST refused without reading its body (a form over bodyLimit, a 404): the body is dropped
  // after the answer, as through createMiddleware. The web stream over the request held it paused,
  // so nothing was read: the client blocked writing, and the connection was reset 2 s later.
  test.each(['/refuse', '/refuse-reading'])('the rest of a body %s left unread is dropped, and the connection serves the next request', async (path) => {
    const { port } = new URL(origin)
    const socket = connect(Number(port), '127.0.0.1')
    let received = ''
    const errors: unknown[] = []
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk))
    socket.on('error', (error) => errors.push(error))
    const chunk = `10000\r\n${'x'.repeat(0x10000)}\r\n`
    socket.write(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n\r\n`)
    for (let i = 0; i < 64; i++) await new Promise((resolve) => socket.write(chunk, resolve)) // 4 MB, each written once the last is taken
    socket.write('0\r\n\r\nGET / HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n')
    await new Promise((resolve) => socket.once('close', resolve))
    expect(errors).toEqual([])
    expect(received).toMatch(/^HTTP\/1\.1 413 [\s\S]*too large[\s\S]*HTTP\/1\.1 200 [\s\S]*page[\s\S]*$/)
  }, 20_000)

  test('a 3 MB body arrives whole, and a client that leaves mid-upload fails the read instead of hanging it', async () => {
    const bytes = Uint8Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 7) % 251)
    const response = await fetch(`${origin}/size`, { method: 'POST', body: bytes })
    expect(await response.text()).toBe(`${bytes.length} ${bytes.reduce((sum, byte) => (sum + byte) % 65_521, 0)}`)
    const { port } = new URL(origin)
    const socket = connect(Number(port), '127.0.0.1')
    socket.on('error', () => {})
    socket.write('POST /abandoned HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 1000\r\n\r\nhalf')
    await vi.waitFor(() => expect(bodyRead).toBeDefined())
    socket.destroy()
    expect(await bodyRead).toMatch(/^failed: /)
  })

  test('a 20 MB body read slowly arrives whole; a streamed answer of the body itself too', async () => {
    const bytes = Uint8Array.from({ length: 20 * 1024 * 1024 }, (_, i) => (i * 13) % 251)
    const response = await fetch(`${origin}/slow-reader`, { method: 'POST', body: bytes })
    expect(await response.text()).toBe(`${bytes.length} ${bytes.reduce((sum, byte) => (sum + byte) % 65_521, 0)}`)
    const echoed = await fetch(`${origin}/stream-echo`, { method: 'POST', body: bytes.subarray(0, 256 * 1024) })
    expect(Buffer.from(await echoed.arrayBuffer()).equals(Buffer.from(bytes.subarray(0, 256 * 1024)))).toBe(true)
  }, 60_000)

  test('Expect: 100-continue uploads are read, or refused', async () => {
    const { hostname, port } = new URL(origin)
    const upload = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const body = Buffer.alloc(3 * 1024 * 1024, 1)
        const req = httpRequest({ hostname, port, path, method: 'POST', headers: { expect: '100-continue', 'content-length': body.length } }, (res) => {
          let text = ''
          res.on('data', (chunk) => (text += chunk)).on('end', () => resolve(`${res.statusCode} ${text}`))
        })
        req.on('error', reject).on('continue', () => req.end(body))
      })
    expect(await upload('/size')).toBe(`200 ${3 * 1024 * 1024} ${(3 * 1024 * 1024) % 65_521}`)
    expect(await upload('/refuse')).toBe('413 too large')
  }, 20_000)

  test('a handler still reading its body after its answer went out gets an error, not the body cut short', async () => {
    bodyRead = undefined
    const { port } = new URL(origin)
    const socket = connect(Number(port), '127.0.0.1')
    let received = ''
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk))
    socket.write(`POST /answered-first HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: ${4 * 1024 * 1024}\r\n\r\n`)
    for (let i = 0; i < 64; i++) await new Promise((resolve) => socket.write('x'.repeat(64 * 1024), resolve))
    try {
      expect(await bodyRead).toBe('failed: The answer was sent before the body was read; the rest of it was dropped.')
      expect(received).toMatch(/^HTTP\/1\.1 200 [\s\S]*answered before the body/)
    } finally {
      socket.destroy()
    }
  }, 20_000)
})
