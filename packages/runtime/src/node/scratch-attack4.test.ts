import { createServer, request as httpRequest, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { toNodeListener } from './toNodeListener.js'

let server: Server
let port = 0
const reported: unknown[] = []
beforeAll(async () => {
  server = createServer(toNodeListener(async (request) => {
    const path = new URL(request.url).pathname
    if (path === '/slow') {
      const hash = createHash('sha256'); let n = 0
      const reader = request.body!.getReader()
      for (;;) { const { done, value } = await reader.read(); if (done) break; hash.update(value); n += value.length; if (n % (1 << 20) < value.length) await new Promise((r) => setTimeout(r, 20)) }
      return new Response(`${n} ${hash.digest('hex')}`)
    }
    if (path === '/echo') return new Response(request.body)
    if (path === '/refuse') return new Response('too large', { status: 413 })
    return new Response('page')
  }, { onError: (e) => reported.push(e) }))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise((r) => server.close(r)))

test('20 MB slow reader', async () => {
  const bytes = new Uint8Array(20 * 1024 * 1024).map((_, i) => (i * 13) % 251)
  const r = await fetch(`http://127.0.0.1:${port}/slow`, { method: 'POST', body: bytes })
  expect(await r.text()).toBe(`${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}`)
}, 60_000)

test('echo streaming 256 KB', async () => {
  const bytes = new Uint8Array(256 * 1024).map((_, i) => i % 251)
  const r = await fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', body: bytes })
  expect(Buffer.from(await r.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
})

test('expect 100-continue: read and refused', async () => {
  for (const path of ['/slow', '/refuse']) {
    const out = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { expect: '100-continue', 'content-length': 3 * 1024 * 1024 } }, (res) => {
        let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => resolve(`${res.statusCode} ${body.slice(0, 20)}`))
      })
      req.on('error', reject)
      req.on('continue', () => req.end(Buffer.alloc(3 * 1024 * 1024, 1)))
    })
    console.log(path, out)
  }
}, 30_000)

test('connection: close refused: headers', async () => {
  const socket = connect(port, '127.0.0.1'); let received = ''
  socket.setEncoding('utf8').on('data', (c: string) => (received += c)).on('error', () => {})
  socket.write(`POST /refuse HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: 100000\r\n\r\n`)
  socket.write('x'.repeat(100000))
  await new Promise((r) => socket.once('close', r))
  console.log(JSON.stringify(received))
})
