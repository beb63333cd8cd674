import { serveStatic } from '@use-server/vite/production'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { rawRequest } from './support/rawRequest.js'

// The embedded server's static files (`serveStatic`, also exported for SSR servers), over real HTTP:
// what a client build holds and nothing else, ranges as RFC 9110 has them, caching, precompressed
// variants, and no file descriptor left open by a client that goes away (the hand-written server
// leaked one per aborted download until EMFILE and an unhandled 'error' ended the process; sirv,
// which `vite preview` uses, leaks the same way and throws on `Range: bytes=500-100`).

const BIG = 8 * 1024 * 1024
let root: string
let server: Server
let origin: string
const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251)

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'use-server-static-'))
  mkdirSync(join(root, 'assets'))
  mkdirSync(join(root, '.git'))
  mkdirSync(join(root, '.well-known'))
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>')
  writeFileSync(join(root, 'assets/app-AbCd1234.js'), 'console.log("app")')
  writeFileSync(join(root, 'assets/app-AbCd1234.js.br'), brotliCompressSync('console.log("app")'))
  writeFileSync(join(root, 'robots.txt'), 'User-agent: *')
  writeFileSync(join(root, 'bytes.bin'), bytes)
  writeFileSync(join(root, 'big.bin'), new Uint8Array(BIG))
  writeFileSync(join(root, '.env'), 'SECRET=hunter2')
  writeFileSync(join(root, '.git/config'), '[core]')
  writeFileSync(join(root, '.well-known/security.txt'), 'Contact: mailto:security@example.com')
  const files = serveStatic(root)
  server = createServer((req, res) => files(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  rmSync(root, { recursive: true, force: true })
})

const get = (path: string, headers: Record<string, string> = {}) => rawRequest(origin, { method: 'GET', path, headers })

describe('only the files of the build', () => {
  test.each(['/.env', '/.git/config', '/%2eenv', '/assets/../.env', '/..%2f..%2fetc%2fpasswd', '/assets/%00.js', '/bytes.bin%00.txt'])('%s is a 404 (or 400), never the file', async (path) => {
    const response = await get(path)
    expect([400, 404]).toContain(response.status)
    expect(response.text).not.toMatch(/hunter2|\[core\]|root:/)
  })

  test.each(['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd'])('%s resolves to /etc/passwd inside the build: a client-side route', async (path) => {
    expect(await get(path)).toMatchObject({ status: 200, text: '<!doctype html><title>app</title>' })
  })

  test('/.well-known is public, by design of RFC 8615', async () => {
    expect(await get('/.well-known/security.txt')).toMatchObject({ status: 200, text: 'Contact: mailto:security@example.com' })
  })

  test('a client-side route gets index.html; a missing asset a 404; other methods a 405', async () => {
    expect(await get('/posts/42')).toMatchObject({ status: 200, text: '<!doctype html><title>app</title>' })
    expect((await get('/assets/missing.js')).status).toBe(404)
    expect(await rawRequest(origin, { method: 'DELETE', path: '/robots.txt' })).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } })
  })
})

describe('ranges', () => {
  test.each<[string, number, number[] | 'all', string | undefined]>([
    ['bytes=0-0', 206, [0, 0], 'bytes 0-0/1000'],
    ['bytes=10-19', 206, [10, 19], 'bytes 10-19/1000'],
    ['bytes=-100', 206, [900, 999], 'bytes 900-999/1000'],
    ['bytes=990-', 206, [990, 999], 'bytes 990-999/1000'],
    ['bytes=990-5000', 206, [990, 999], 'bytes 990-999/1000'],
    ['bytes=500-100', 416, [], 'bytes */1000'],
    ['bytes=1000-', 416, [], 'bytes */1000'],
    ['bytes=abc', 200, 'all', undefined],
    ['items=0-5', 200, 'all', undefined],
    ['bytes=0-0,5-9', 200, 'all', undefined],
  ])('%s: %i', async (range, status, span, contentRange) => {
    const response = await fetch(`${origin}/bytes.bin`, { headers: { range } })
    const body = new Uint8Array(await response.arrayBuffer())
    expect(response.status).toBe(status)
    expect(response.headers.get('content-range') ?? undefined).toBe(contentRange)
    if (span === 'all') expect(body).toEqual(bytes)
    else if (span.length === 2) expect(body).toEqual(bytes.subarray(span[0], span[1]! + 1))
  })
})

describe('caching and encodings', () => {
  test('hashed assets are immutable for a year; the rest revalidates, and a matching ETag is a 304', async () => {
    const asset = await fetch(`${origin}/assets/app-AbCd1234.js`)
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    const page = await fetch(`${origin}/robots.txt`)
    expect(page.headers.get('cache-control')).toBe('no-cache')
    const etag = page.headers.get('etag')!
    expect(etag).toBeTruthy()
    // (not fetch(): with a conditional header it adds Cache-Control: no-cache, as the Fetch standard says)
    expect((await get('/robots.txt', { 'if-none-match': etag })).status).toBe(304)
  })

  test('a precompressed variant goes to a client that accepts it, with the type of the original', async () => {
    const compressed = await get('/assets/app-AbCd1234.js', { 'accept-encoding': 'gzip, br' })
    expect(compressed.headers).toMatchObject({ 'content-encoding': 'br', 'content-type': 'text/javascript; charset=utf-8', vary: 'Accept-Encoding' })
    const plain = await get('/assets/app-AbCd1234.js', { 'accept-encoding': 'gzip, br;q=0' })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.text).toBe('console.log("app")')
  })

  test('HEAD answers the headers without the body', async () => {
    const response = await rawRequest(origin, { method: 'HEAD', path: '/bytes.bin' })
    expect(response).toMatchObject({ status: 200, text: '', headers: { 'content-length': '1000' } })
  })
})

test('200 downloads abandoned midway leave no file open', async () => {
  const open = () => readdirSync('/proc/self/fd').length
  const before = open()
  for (let i = 0; i < 200; i++) {
    await new Promise<void>((resolve) => {
      const { hostname, port } = new URL(origin)
      const req = request({ hostname, port, path: '/big.bin', agent: false }, (res) => {
        res.once('data', () => {
          req.destroy()
          resolve()
        })
      })
      req.on('error', () => resolve())
      req.end()
    })
  }
  // each descriptor closes once the server sees its connection go
  await vi.waitFor(() => expect(open()).toBeLessThanOrEqual(before + 5), { timeout: 5_000 })
})
