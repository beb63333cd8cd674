import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectRefused } from './support/expectRefused.js'
import { expectNothingLogged, expectUnharmed } from './support/expectUnharmed.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { rawCall, rawRequest, rawSocket } from './support/rawRequest.js'

// Bodies meant to exhaust memory or hold a connection: over the 1 MB limit with and without a
// declared length, trickled in, or packed with parts. Each is refused while it streams, never
// after buffering it (Next.js once answered such a body with a 500 after reading it).

const LIMIT = 1024 * 1024
let app: HostileApp
beforeAll(async () => {
  app = await startHostileApp()
}, 120_000)
afterAll(() => app?.remove())

const path = () => `/_server/${app.ids.echo}`
/** A call whose body is exactly `size` bytes: one string argument, padded. */
const callOfSize = (size: number) => `[[1],"${'x'.repeat(size - 8)}"]`
const chunksOf = (total: number, size: number) => Array.from({ length: Math.ceil(total / size) }, () => 'x'.repeat(size))

describe('over the limit: a 413, answered before the upload ends', () => {
  test('a declared Content-Length over the limit', async () => {
    const response = await rawRequest(app.origin, { path: path(), headers: { 'content-type': 'application/json', 'content-length': 2 * LIMIT }, chunks: chunksOf(2 * LIMIT, 64 * 1024), interval: 5 })
    expectRefused(response, 413, /larger than the limit of 1048576 bytes/)
    // refused on the header: long before the 32 chunks could have been sent
    expect(response.ms).toBeLessThan(150)
    await expectUnharmed(app)
  })

  test('an absurd Content-Length (a petabyte)', async () => {
    const response = await rawRequest(app.origin, { path: path(), headers: { 'content-type': 'application/json', 'content-length': 10 ** 15 }, chunks: ['[[1],'], interval: 1000 })
    expectRefused(response, 413, /larger than the limit/)
    await expectUnharmed(app)
  })

  test('chunked, with no length declared', async () => {
    const response = await rawRequest(app.origin, { path: path(), headers: { 'content-type': 'application/json' }, chunks: chunksOf(4 * LIMIT, 64 * 1024), interval: 1 })
    expectRefused(response, 413, /larger than the limit/)
    await expectUnharmed(app)
  })

  // Closing at once, with the upload's bytes unread, made the kernel reset the connection, and a
  // client still writing lost the 413 (one in ~60 with 8 at a time): the rest is now read and dropped.
  test('the 413 reaches every client still writing its upload: 96 uploads of 4 MB, 8 at a time', async () => {
    const upload = () => rawRequest(app.origin, { path: path(), headers: { 'content-type': 'application/json' }, chunks: chunksOf(4 * LIMIT, 64 * 1024), interval: 1 })
    const statuses: number[] = []
    for (let round = 0; round < 12; round++) statuses.push(...(await Promise.all(Array.from({ length: 8 }, upload))).map((r) => r.status))
    expect(statuses).toEqual(Array(96).fill(413))
    await expectUnharmed(app)
  }, 60_000)

  test('a client that goes on sending after the 413 is cut off about 2 s after it', async () => {
    const client = rawSocket(app.origin)
    client.socket.write(client.head('POST', path(), { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }))
    const chunk = `10000\r\n${'x'.repeat(0x10000)}\r\n`
    const writer = setInterval(() => client.socket.writable && client.socket.write(chunk), 5)
    try {
      await expect.poll(() => client.received(), { timeout: 10_000 }).toMatch(/^HTTP\/1\.1 413/)
      const answered = performance.now()
      const ms = (await client.closed) - answered
      expect(ms).toBeGreaterThan(1_500)
      expect(ms).toBeLessThan(6_000)
    } finally {
      clearInterval(writer)
      client.socket.destroy()
    }
    await expectUnharmed(app)
  }, 20_000)

  // A client that asks to close (`Connection: close`: Node's http.request without an agent, HTTP/1.0,
  // a proxy's upstream) made Node close the connection the moment the answer was out, the rest of
  // the upload unread, so the kernel reset it: a client that writes its whole upload before reading
  // got EPIPE and never saw its 413, every time.
  test.each(['keep-alive', 'close'])('a client (Connection: %s) that writes its whole 8 MB upload before reading gets its 413', async (connection) => {
    const client = rawSocket(app.origin, { paused: true })
    client.socket.write(client.head('POST', path(), { 'content-type': 'application/json', connection, 'content-length': 8 * LIMIT }))
    client.socket.write('x'.repeat(8 * LIMIT), () => {
      client.read()
      client.socket.on('data', () => client.received().includes('larger than the limit') && client.socket.destroy())
    })
    await client.closed
    expect(client.errors).toEqual([])
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 [\s\S]*larger than the limit/)
    // and the answer says what happens to the connection (it said keep-alive to a client that asked to close)
    expect(client.received().split('\r\n\r\n')[0]).toMatch(new RegExp(`\r\nconnection: ${connection}(\r\n|$)`, 'i'))
    await expectUnharmed(app)
  }, 20_000)

  // The connection outlives a refusal now: what a client sends after its refused body must be read as
  // the next request, framed by the first one's length, never as part of it or lost with it.
  test('a call pipelined after a refused 2 MB upload on the same connection is answered', async () => {
    const client = rawSocket(app.origin)
    client.socket.write(client.head('POST', path(), { 'content-type': 'application/json', 'content-length': 2 * LIMIT }))
    for (const chunk of chunksOf(2 * LIMIT, 64 * 1024)) await new Promise((resolve) => client.socket.write(chunk, resolve))
    const add = '[[1,2],1,2]'
    client.socket.write(client.head('POST', `/_server/${app.ids.add}`, { 'content-type': 'application/json', 'content-length': add.length, connection: 'close' }) + add)
    await client.closed
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 [\s\S]*larger than the limit[\s\S]*HTTP\/1\.1 200 [\s\S]*\[\{"value":1\},3\]$/)
    await expectUnharmed(app)
  }, 20_000)

  test('200 refused uploads that go on sending hold nothing: calls are answered meanwhile, and each is cut within seconds', async () => {
    const clients = Array.from({ length: 200 }, () => {
      const client = rawSocket(app.origin)
      client.socket.write(client.head('POST', path(), { 'content-type': 'application/json', 'content-length': 100 * LIMIT }))
      const writer = setInterval(() => client.socket.writable && client.socket.write('x'.repeat(16 * 1024)), 20)
      void client.closed.then(() => clearInterval(writer))
      return client
    })
    try {
      await expect.poll(() => clients.filter((c) => /^HTTP\/1\.1 413/.test(c.received())).length, { timeout: 10_000 }).toBe(200)
      const start = performance.now()
      const call = await rawCall(app.origin, app.ids.add!, '[[1,2],1,2]')
      expect({ status: call.status, value: call.envelope!.value }).toEqual({ status: 200, value: 3 })
      const closedAt = await Promise.all(clients.map((c) => c.closed))
      expect(Math.max(...closedAt) - start).toBeLessThan(8_000)
    } finally {
      for (const client of clients) client.socket.destroy()
    }
    await expectUnharmed(app)
  }, 30_000)

  test('a multipart upload with a 2 MB file', async () => {
    const form = new FormData()
    form.set('$payload', '[[1],["File",2],[0,0]]')
    form.set('$0', new File([new Uint8Array(2 * LIMIT)], 'big.bin'))
    const request = new Request('http://x/', { method: 'POST', body: form })
    const body = new Uint8Array(await request.arrayBuffer())
    expectRefused(await rawRequest(app.origin, { path: path(), headers: { 'content-type': request.headers.get('content-type')! }, body }), 413, /larger than the limit/)
    await expectUnharmed(app)
  })

  test('one byte over the limit, while the limit itself passes', async () => {
    const atLimit = await rawCall(app.origin, app.ids.echo!, callOfSize(LIMIT))
    expect(atLimit.status).toBe(200)
    expect(atLimit.envelope!.value).toHaveLength(LIMIT - 8)
    expectRefused(await rawCall(app.origin, app.ids.echo!, callOfSize(LIMIT + 1)), 413, /larger than the limit/)
    await expectUnharmed(app)
  })
})

describe('too slow: a 408 once the body timeout (1 s in the fixture) passes', () => {
  test('a declared length, trickled one byte every 100 ms', async () => {
    const body = '[[1],"slow"]'
    const response = await rawRequest(app.origin, { path: path(), headers: { 'content-type': 'application/json', 'content-length': body.length + 100 }, chunks: [...body, ...'x'.repeat(100)], interval: 100 })
    expectRefused(response, 408, /did not arrive within 1000 ms/)
    expect(response.ms).toBeGreaterThan(900)
    expect(response.ms).toBeLessThan(2500)
    await expectUnharmed(app)
  })

  test('chunked, trickled one byte every 200 ms', async () => {
    const response = await rawRequest(app.origin, { path: path(), headers: { 'content-type': 'application/json' }, chunks: [...'[[1],"slow"]'], interval: 200 })
    expectRefused(response, 408, /did not arrive within 1000 ms/)
    await expectUnharmed(app)
  })
})

describe('packed with parts', () => {
  const multipart = (parts: string[], boundary = 'B') => ({
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('') + `--${boundary}--\r\n`,
  })
  const field = (name: string, value = '') => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`
  const file = (name: string) => `Content-Disposition: form-data; name="${name}"; filename="f"\r\n\r\n`

  test('a FormData body of 10^5 fields is refused at the 1 001st part, while it is still arriving', async () => {
    const { headers, body } = multipart([field('$payload', '[[]]'), ...Array.from({ length: 100_000 }, (_, i) => field(`f${i}`))])
    expect(body.length).toBeGreaterThan(LIMIT)
    const response = await rawRequest(app.origin, { path: path(), headers, chunks: chunksOfText(body, 16 * 1024), interval: 5 })
    expectRefused(response, 400, /the multipart body has more than 1000 parts/)
    expect(response.unsent).toBeGreaterThan(10)
    await expectUnharmed(app)
  })

  // Parsing 15 000 file parts cost a parser without limits most of a second of blocked event loop.
  test.each([
    ['its boundary', 'multipart/form-data; boundary=B'],
    ['a quoted parameter that hides another boundary', 'multipart/form-data; x="y;boundary=zzz"; boundary=B'],
  ])('1 MB of empty file parts (15 000 of them) with %s is refused at the 1 001st, while it is still arriving', async (_, type) => {
    const { body } = multipart([field('$payload', '[[]]'), ...Array.from({ length: 15_000 }, (_, i) => file(`$${i}`))])
    expect(body.length).toBeLessThan(LIMIT)
    const response = await rawRequest(app.origin, { path: path(), headers: { 'content-type': type }, chunks: chunksOfText(body, 16 * 1024), interval: 5 })
    expect(response.status).toBe(400)
    expect(response.unsent).toBeGreaterThan(10)
    await expectUnharmed(app)
  })

  // The parser skips a part without a form-data Content-Disposition; counted only when a field or a
  // file arrived, 1 MB of such parts (up to 200 000) passed: 3.7 s of parsing, then a 200.
  test.each([
    ['no headers', ''],
    ['a Content-Disposition other than form-data', 'Content-Disposition: attachment\r\n'],
  ])('1 MB of parts with %s (which the parser skips) is refused at the 1 001st, while it is still arriving', async (_, headers) => {
    const part = `--B\r\n${headers}\r\n\r\n`
    const body = `--B\r\n${field('$payload', '[[]]')}\r\n` + part.repeat(Math.floor((LIMIT - 100) / part.length)) + '--B--\r\n'
    const response = await rawRequest(app.origin, { path: path(), headers: { 'content-type': 'multipart/form-data; boundary=B' }, chunks: chunksOfText(body, 16 * 1024), interval: 5 })
    expectRefused(response, 400, /the multipart body has more than 1000 parts/)
    expect(response.unsent).toBeGreaterThan(10)
    await expectUnharmed(app)
  })

  test('with the boundary given twice, the parser reads the first, finds no part, and refuses the body', async () => {
    const { body } = multipart([field('$payload', '[[]]'), ...Array.from({ length: 15_000 }, (_, i) => file(`$${i}`))])
    const response = await rawRequest(app.origin, { path: path(), headers: { 'content-type': 'multipart/form-data; boundary=zzz; boundary=B' }, body })
    expectRefused(response, 400, /the multipart body could not be parsed: Unexpected end of multipart data/)
    await expectUnharmed(app)
  })

  test('a FormData argument of 10^5 entries inside the payload is data, decoded in well under a second', async () => {
    const payload = JSON.stringify([[1], ['FormData', 2], Array(100_000).fill(3), [4, 5], 'name', 'value'])
    const response = await rawCall(app.origin, app.ids.greet!, payload)
    expect(response).toMatchObject({ status: 200, envelope: { value: 'Hello, [object FormData]!' } })
    expect(response.ms).toBeLessThan(1000)
    await expectUnharmed(app)
  })

  test('unexpected, duplicated and prototype-named fields', async () => {
    for (const parts of [[field('$payload', '[[]]'), field('__proto__', 'x')], [field('$payload', '[[]]'), field('constructor')], [field('$payload', '[[]]'), file('$payload')], [file('$0')]]) {
      const { headers, body } = multipart(parts)
      expectRefused(await rawRequest(app.origin, { path: path(), headers, body }), 400, /unexpected multipart field|has no \$payload field/)
      await expectUnharmed(app)
    }
  })
})

test('no hostile request made the server log an error', () => expectNothingLogged(app))

function chunksOfText(text: string, size: number): string[] {
  return Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size))
}
