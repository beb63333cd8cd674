import { request as httpRequest, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { registerServerReference } from '../server/references/registry.js'
import { createMiddleware } from './createMiddleware.js'

registerServerReference(async (a: number, b: number) => a + b, 'node-add', 'add')

const passedOn: string[] = []
const bytesReadWhenAnswered: number[] = []
const middleware = createMiddleware({ bodyLimit: 64 * 1024 })
const server = createServer((req, res) => {
  const { socket } = req
  res.on('finish', () => bytesReadWhenAnswered.push(socket.bytesRead))
  middleware(req, res, () => {
    passedOn.push(req.url!)
    res.end('next')
  })
})
let origin = ''
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((r) => server.close(r)))

describe('createMiddleware', () => {
  test('answers calls under the base', async () => {
    const response = await fetch(`${origin}/_server/node-add`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[[1,2],2,3]' })
    expect(await response.text()).toBe('[{"value":1},5]')
  })

  test('hands every other request to next()', async () => {
    expect(await (await fetch(`${origin}/about?x=1`)).text()).toBe('next')
    expect(await (await fetch(`${origin}/_serverless`)).text()).toBe('next')
    expect(passedOn).toEqual(['/about?x=1', '/_serverless'])
  })

  test('a method the Fetch API cannot express (TRACE) is a 405, and the server goes on', async () => {
    const { status, allow, body } = await new Promise<{ status: number; allow?: string; body: string }>((resolve, reject) => {
      const req = httpRequest(`${origin}/_server/node-add`, { method: 'TRACE' }, (res) => {
        let body = ''
        res.on('data', (chunk) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode!, allow: res.headers.allow, body }))
      })
      req.on('error', reject)
      req.end()
    })
    expect({ status, allow }).toEqual({ status: 405, allow: 'POST' })
    expect(body).toContain('called with POST only')
    const response = await fetch(`${origin}/_server/node-add`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[[1,2],2,3]' })
    expect(await response.text()).toBe('[{"value":1},5]')
  })

  test('without next(), other requests get a 404', async () => {
    const alone = createServer(createMiddleware())
    await new Promise<void>((r) => alone.listen(0, '127.0.0.1', r))
    try {
      expect((await fetch(`http://127.0.0.1:${(alone.address() as AddressInfo).port}/`)).status).toBe(404)
    } finally {
      alone.close()
    }
  })

  test('streams the body: an oversized chunked upload is refused after reading little more than the limit', async () => {
    bytesReadWhenAnswered.length = 0
    const status = await new Promise<number>((resolve, reject) => {
      let sent = 0
      let answered = false
      const req = httpRequest(`${origin}/_server/node-add`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        answered = true
        resolve(res.statusCode!)
        res.resume()
        req.destroy()
      })
      req.on('error', (error) => answered || reject(error))
      const chunk = Buffer.alloc(16 * 1024, 0x20)
      const pump = () => {
        if (answered || sent > 10 * 1024 * 1024) return req.end()
        sent += chunk.length
        if (req.write(chunk)) setImmediate(pump)
        else req.once('drain', pump)
      }
      pump()
    })
    expect(status).toBe(413) // the rest is then read and dropped for a while (lingerAfterRefusal; bodies.test.ts)
    // the server stopped reading near the 64 KB limit, not at the 10 MB the client offered
    await vi.waitFor(() => expect(bytesReadWhenAnswered).toHaveLength(1))
    expect(bytesReadWhenAnswered[0]).toBeLessThan(512 * 1024)
  })
})
