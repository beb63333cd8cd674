import { withOptions } from '@use-server/runtime/client'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { expectUnharmed } from './support/expectUnharmed.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { pageClient, typedFailure } from './support/pageClient.js'
import { rawCall, rawRequest } from './support/rawRequest.js'

// What goes wrong while a call is under way: the client leaves mid-upload or mid-response, the
// function throws, rejects, never settles, or sets a cookie and then throws. The client runtime
// gets a typed error each time and the server goes on answering.

let app: HostileApp
let fn: ReturnType<typeof pageClient>
beforeAll(async () => {
  app = await startHostileApp()
  fn = pageClient(app)
}, 120_000)
afterAll(() => app?.remove())

const observed = async () => (await rawCall(app.origin, app.ids.observed!, '[[]]')).envelope!.value as { streamsClosed: number; abortsWaiting: number; abortsSeen: number; lateSignals: string[] }

/** Opens a call, sends `sent` of the `declared` bytes, then drops the connection. */
function abandonUpload(path: string, contentType: string, sent: string, declared: number): Promise<void> {
  const { hostname, port } = new URL(app.origin)
  return new Promise((resolve) => {
    const req = request({ hostname, port, path, method: 'POST', agent: false, headers: { 'content-type': contentType, 'content-length': declared } })
    req.on('error', () => resolve())
    req.on('close', () => resolve())
    req.write(sent, () => setTimeout(() => req.destroy(), 50))
  })
}

/** Makes a call and drops the connection as soon as the first bytes of the answer arrive. */
function abandonResponse(id: string, body = '[[]]'): Promise<string> {
  const { hostname, port } = new URL(app.origin)
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: `/_server/${id}`, method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      res.once('data', (chunk: Buffer) => {
        req.destroy()
        resolve(chunk.toString('utf8'))
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('the client goes away', () => {
  test('mid-upload of a JSON call', async () => {
    await abandonUpload(`/_server/${app.ids.echo}`, 'application/json', `[[1],"${'x'.repeat(10_000)}`, 500_000)
    await expectUnharmed(app)
  })

  test('mid-upload of a multipart call with a file', async () => {
    const head = '--b\r\nContent-Disposition: form-data; name="$payload"\r\n\r\n[[1],["File",2],[3,4],0,0]\r\n--b\r\nContent-Disposition: form-data; name="$0"; filename="f"\r\n\r\n'
    await abandonUpload(`/_server/${app.ids.echo}`, 'multipart/form-data; boundary=b', head + 'x'.repeat(20_000), 900_000)
    await expectUnharmed(app)
  })

  test('mid-response of a stream: the generator is stopped', async () => {
    const { streamsClosed } = await observed()
    expect(await abandonResponse(app.ids.ticker!)).toMatch(/^\[\{"value":1,"done":2\},0,false\]\n/)
    await vi.waitFor(async () => expect((await observed()).streamsClosed).toBe(streamsClosed + 1))
    await expectUnharmed(app)
  })

  test('mid-response of an 8 MB result', async () => {
    expect(await abandonResponse(app.ids.bigResult!)).toMatch(/^\[\{"value":1\},"x+/)
    await expectUnharmed(app)
  })

  // The signal is made when a function first asks for its request: one that asks only after the
  // client left must still see it aborted, in a call and in a stream.
  test('a function that asks for its request only after the client left sees its signal aborted', async () => {
    const { lateSignals } = await observed()
    await new Promise<void>((resolve) => {
      const { hostname, port } = new URL(app.origin)
      const req = request({ hostname, port, path: `/_server/${app.ids.signalLater}`, method: 'POST', agent: false, headers: { 'content-type': 'application/json' } })
      req.on('error', () => resolve()).on('close', () => resolve())
      req.end('[[1],300]', () => setTimeout(() => req.destroy(), 50))
    })
    expect(await abandonResponse(app.ids.streamThenSignal!, '[[1],300]')).toMatch(/"first"/)
    await vi.waitFor(async () => expect((await observed()).lateSignals.slice(lateSignals.length).sort()).toEqual(['call: aborted', 'stream: aborted']))
    // and a client that stays sees it open
    expect((await rawCall(app.origin, app.ids.signalLater!, '[[1],10]')).status).toBe(200)
    expect((await observed()).lateSignals.at(-1)).toBe('call: open')
    await expectUnharmed(app)
  })

  test('aborting a call with its AbortSignal rejects with the reason, and the function sees the request end', async () => {
    const { abortsWaiting, abortsSeen } = await observed()
    const controller = new AbortController()
    const call = withOptions(fn('waitForAbort'), { signal: controller.signal })()
    // aborted once the function runs (a fixed delay lost the race on a loaded machine)
    await vi.waitFor(async () => expect((await observed()).abortsWaiting).toBe(abortsWaiting + 1))
    controller.abort(new Error('the user left the page'))
    await expect(call).rejects.toThrow('the user left the page')
    await vi.waitFor(async () => expect((await observed()).abortsSeen).toBe(abortsSeen + 1))
    await expectUnharmed(app)
  })
})

describe('the function fails', () => {
  test.each([
    ['throws', 'crash', 'database password is hunter2'],
    ['rejects later', 'rejectLater', 'rejected with hunter2'],
    // it threw out of the handler: the embedded server answered a 405 from its static files, and logged nothing
    ['returns an object whose getter throws while the answer is written', 'brokenAnswer', 'the total could not be computed: hunter2'],
    // the fast writer and devalue after it both run out of stack: the function's failure, not a crash
    ['returns a value nested 200 000 deep', 'deepAnswer', 'Maximum call stack size exceeded'],
    // thrown after a wait (sealing the bound values), not while the answer is first written
    ['returns a function bound to a value whose getter throws', 'brokenBoundAnswer', 'the owner could not be read: hunter2'],
  ])('one that %s: a 500 with a digest only, the full error in the server log', async (_, name, secret) => {
    const error = await typedFailure(fn(name)())
    expect(error).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', serverStack: undefined })
    expect(error.message).toBe(`The server function failed. Look for digest ${error.digest} in the server logs.`)
    expect(error.message).not.toContain('hunter2')
    await vi.waitFor(() => expect(app.server.output()).toContain(`[digest ${error.digest}]`))
    expect(app.server.output()).toContain(secret)
    await expectUnharmed(app)
  })

  test('one that never settles: a 504 and a TIMEOUT error once the timeout (1 s in the fixture) passes', async () => {
    const start = performance.now()
    const error = await typedFailure(fn('hang')())
    expect(error).toMatchObject({ status: 504, code: 'TIMEOUT', message: 'The server function did not finish within 1000 ms.' })
    expect(performance.now() - start).toBeGreaterThan(950)
    expect(performance.now() - start).toBeLessThan(3000)
    await expectUnharmed(app)
  })

  test('one that sets a cookie, then throws: a typed 500, and the cookie it set still goes out', async () => {
    const response = await rawCall(app.origin, app.ids.setCookieThenCrash!, '[[]]')
    expect(response.status).toBe(500)
    expect(response.envelope!.error).toMatchObject({ code: 'INTERNAL_ERROR', message: expect.stringMatching(/^The server function failed/) })
    expect(response.headers['set-cookie']).toEqual(['session=issued-before-the-crash; Path=/'])
    expect(await typedFailure(fn('setCookieThenCrash')())).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' })
    await expectUnharmed(app)
  })
})

test('a query run again after a call (single flight) that throws answers with a digest, and the call succeeds', async () => {
  const call = JSON.stringify([['ServerReference', 1], { id: 2, bound: 3 }, app.ids.crash, []])
  const queries = Buffer.from(JSON.stringify([{ call, tags: ['items'], paths: [] }])).toString('base64url')
  const response = await rawRequest(app.origin, { path: `/_server/${app.ids.touchItems}`, headers: { 'content-type': 'application/json', 'x-use-server-queries': queries }, body: '[[]]' })
  expect(response.envelope).toMatchObject({ value: 'touched', refreshed: [{ index: 0, error: { code: 'INTERNAL_ERROR', digest: expect.stringMatching(/^[0-9a-f]{10}$/) } }] })
  expect(response.text).not.toContain('hunter2')
  await expectUnharmed(app)
})

test('a query run again after a call whose value cannot be sent answers with a digest, and the call and the other queries succeed', async () => {
  const callOf = (id: string) => JSON.stringify([['ServerReference', 1], { id: 2, bound: 3 }, id, []])
  const live = [app.ids.listItems!, app.ids.unsendableItems!].map((id) => ({ call: callOf(id), tags: ['items'], paths: [] }))
  const queries = Buffer.from(JSON.stringify(live)).toString('base64url')
  const response = await rawRequest(app.origin, { path: `/_server/${app.ids.touchItems}`, headers: { 'content-type': 'application/json', 'x-use-server-queries': queries }, body: '[[]]' })
  expect(response.status).toBe(200)
  expect(response.envelope).toMatchObject({
    value: 'touched',
    refreshed: [{ index: 0, value: ['an item'] }, { index: 1, error: { code: 'INTERNAL_ERROR', digest: expect.stringMatching(/^[0-9a-f]{10}$/) } }],
  })
  await expectUnharmed(app)
})

test('a promise the app forgets to handle is logged, and the embedded server goes on', async () => {
  expect(await rawCall(app.origin, app.ids.fireAndForget!, '[[]]')).toMatchObject({ status: 200, envelope: { value: 'started' } })
  await vi.waitFor(() => expect(app.server.output()).toMatch(/a promise rejected and nothing handled it \(the server goes on\): Error: nobody awaited this/))
  await expectUnharmed(app)
})

test('the server logged the failures it was meant to, and no failure of its own', () => {
  expect(app.server.output().match(/server function "[\w ]+" \([\w-]+\) failed \[digest \w+\]/g)).toHaveLength(9)
  expect(app.server.output()).not.toMatch(/could not be handled/)
})
