import { describe, expect, test } from 'vitest'
import { incomingFromRequest } from './incomingCall.js'
import { BodyError } from './bodyError.js'
import { readBody as readCallBody } from './readBody.js'

const streamOf = (chunks: Uint8Array[], delay = 0) =>
  new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (delay) await new Promise((r) => setTimeout(r, delay))
      const chunk = chunks.shift()
      if (chunk) controller.enqueue(chunk)
      else controller.close()
    },
  })
const readBody = (request: Request, limit: number, timeout: number) => readCallBody(incomingFromRequest(request), limit, timeout)
const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request('http://x/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit)

describe('readBody', () => {
  test('joins the chunks', async () => {
    const body = await readBody(post(streamOf([new Uint8Array([1, 2]), new Uint8Array([3])])), 10, 1000)
    expect([...body]).toEqual([1, 2, 3])
  })

  test('refuses a declared length over the limit before reading', async () => {
    let pulled = false
    const stream = new ReadableStream({ pull: () => void (pulled = true) }, { highWaterMark: 0 })
    await expect(readBody(post(stream, { 'content-length': '11' }), 10, 1000)).rejects.toMatchObject({ status: 413 })
    expect(pulled).toBe(false)
  })

  test('stops reading as soon as a streamed body passes the limit', async () => {
    let served = 0
    const endless = new ReadableStream<Uint8Array>({ pull: (c) => void (served++, c.enqueue(new Uint8Array(4))) })
    await expect(readBody(post(endless), 10, 1000)).rejects.toMatchObject({ status: 413 })
    expect(served).toBeLessThan(5)
  })

  test('gives up on a body that trickles in too slowly', async () => {
    const slow = streamOf(Array.from({ length: 100 }, () => new Uint8Array(1)), 20)
    const error = await readBody(post(slow), 1000, 100).catch((e) => e)
    expect(error).toBeInstanceOf(BodyError)
    expect(error.status).toBe(408)
  })

  test('a sink that throws stops the reading with its error', async () => {
    let served = 0
    const endless = new ReadableStream<Uint8Array>({ pull: (c) => void (served++, c.enqueue(new Uint8Array(1))) })
    const refused = new Error('enough')
    const call = incomingFromRequest(post(endless))
    await expect(call.streamBody(1000, 1000, () => { throw refused })).rejects.toBe(refused)
    expect(served).toBeLessThan(3)
  })
})
