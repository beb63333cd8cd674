import { describe, expect, test } from 'vitest'
import { decodeRequest } from './decodeRequest.js'
import { DEFAULT_LIMITS } from './validatePayload.js'

const noReferences = () => {
  throw new Error('no reference expected')
}

describe('decodeRequest', () => {
  test('refuses a multipart body with more parts than the limit before parsing it', async () => {
    // 1 MB of empty file parts: the platform's parser would spend most of a second on them
    const part = '--B\r\nContent-Disposition: form-data; name="$1"; filename="f"\r\n\r\n\r\n'
    const parts = Math.floor(1_000_000 / part.length)
    const body = new TextEncoder().encode(part.repeat(parts) + '--B--\r\n')
    const start = performance.now()
    await expect(decodeRequest(body, 'multipart/form-data; boundary=B', DEFAULT_LIMITS, noReferences)).rejects.toThrow(`the multipart body has ${parts} parts, over the limit of 1000`)
    expect(performance.now() - start).toBeLessThan(100)
  })

  test('takes a multipart call up to the limit', async () => {
    const form = new FormData()
    form.set('$payload', '[[1],["Blob",2],[3],0]')
    for (let i = 0; i < 999; i++) form.set(`$${i}`, new Blob([String(i)]))
    const request = new Request('http://x/', { method: 'POST', body: form })
    const body = new Uint8Array(await request.arrayBuffer())
    const { args } = await decodeRequest(body, request.headers.get('content-type')!, DEFAULT_LIMITS, noReferences)
    expect(await (args[0] as Blob).text()).toBe('0')
  })
})
