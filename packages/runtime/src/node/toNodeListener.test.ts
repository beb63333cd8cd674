import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { toNodeListener } from './toNodeListener.js'

const reported: unknown[] = []
let server: Server
let origin = ''
beforeAll(async () => {
  const listener = toNodeListener(
    async (request) => {
      const path = new URL(request.url).pathname
      if (path === '/throws') throw new Error('render failed')
      if (path.endsWith('/url')) return new Response(request.url)
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
})
