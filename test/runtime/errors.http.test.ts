import { configure, createServerReference, ServerFunctionError } from '@use-server/runtime/client'
import { registerServerReference, ServerFunctionError as ExpectedError } from '@use-server/runtime/server'
import { parse, stringify } from 'devalue'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { post, startServer, type TestServer } from './harness.js'

registerServerReference(async () => {
  throw new Error('database password is hunter2')
}, 'errors-crash', 'crash')
registerServerReference(async (title: string) => {
  if (!title) throw new ExpectedError('Title is required', { code: 'VALIDATION', status: 422 })
  return title
}, 'errors-validate', 'validate')
registerServerReference(async () => {
  throw new ExpectedError('No post 42', { code: 'NOT_FOUND', status: 404 })
}, 'errors-missing-post', 'missingPost')
registerServerReference(() => new Promise(() => {}), 'errors-forever', 'forever')
registerServerReference(async (value: unknown) => value, 'errors-echo', 'echo')
registerServerReference(async (code: string) => {
  throw new ExpectedError('Refused', { code, status: 422 })
}, 'errors-coded', 'coded')

const reported: Array<{ message: string; digest: string }> = []
let dev: TestServer
let prod: TestServer
beforeAll(async () => {
  dev = await startServer({ dev: true, bodyLimit: 1000, timeout: 200, onError: () => {} })
  prod = await startServer({ dev: false, key: Buffer.alloc(32, 1).toString('base64'), onError: (error, info) => reported.push({ message: (error as Error).message, digest: info.digest }) })
})
afterAll(() => Promise.all([dev.close(), prod.close()]))

async function failure(base: string, id: string, ...args: unknown[]): Promise<ServerFunctionError> {
  configure({ base, headers: {} })
  const error = await createServerReference(id, id)(...args).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ServerFunctionError)
  return error as ServerFunctionError
}

describe('errors thrown by functions', () => {
  test('development: message and server stack reach the client', async () => {
    const error = await failure(dev.base, 'errors-crash')
    expect(error).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', message: 'database password is hunter2' })
    expect(error.serverStack).toMatch(/errors\.http\.test\.ts/)
  })

  test('production: only a digest reaches the client; the full error is logged under it', async () => {
    const error = await failure(prod.base, 'errors-crash')
    expect(error).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', serverStack: undefined })
    expect(error.message).not.toContain('hunter2')
    expect(error.message).toContain(error.digest!)
    expect(reported).toContainEqual({ message: 'database password is hunter2', digest: error.digest })
  })

  // Set as they were, such codes made writing the answer throw: a 500 (a silent 405 from the embedded server).
  test.each(['ОШИБКА', 'BAD\r\nx-injected: 1', 'lone \ud800'])('an expected error whose code a header cannot carry (%j) keeps its code and status', async (code) => {
    const error = await failure(prod.base, 'errors-coded', code)
    expect(error).toMatchObject({ status: 422, code, message: 'Refused' })
    const response = await post(`${prod.base}/errors-coded`, stringify([code]))
    expect({ status: response.status, header: response.headers.get('x-use-server-error'), injected: response.headers.get('x-injected') }).toEqual({
      status: 422,
      header: code.startsWith('lone') ? 'ERROR' : encodeURIComponent(code),
      injected: null,
    })
  })

  test.each([
    ['development', () => dev.base],
    ['production', () => prod.base],
  ])('%s: an expected ServerFunctionError keeps its message, code and status', async (_, base) => {
    const error = await failure(base(), 'errors-validate', '')
    expect(error).toMatchObject({ status: 422, code: 'VALIDATION', message: 'Title is required', digest: undefined })
  })

  test('an expected error with code NOT_FOUND keeps its message (it is not a stale page)', async () => {
    const error = await failure(prod.base, 'errors-missing-post')
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'No post 42' })
  })

  test('a function running past the timeout is a 504 and a TIMEOUT error', async () => {
    const error = await failure(dev.base, 'errors-forever')
    expect(error).toMatchObject({ status: 504, code: 'TIMEOUT' })
    expect(error.message).toMatch(/within 200 ms/)
  })
})

describe('requests refused before any app code runs', () => {
  test('an unknown id is a 404 the client reports as a stale page', async () => {
    const error = await failure(dev.base, 'no-such-function')
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND' })
    expect(error.message).toMatch(/page is probably older than the running deployment\. Reload the page/)
  })

  test('a body over the limit is a 413', async () => {
    const error = await failure(dev.base, 'errors-echo', 'x'.repeat(5000))
    expect(error).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' })
  })

  test('a cross-site call is a 403', async () => {
    configure({ base: dev.base, headers: { origin: 'https://evil.test' } })
    const error = await createServerReference('errors-echo', 'echo')(1).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 403, code: 'FORBIDDEN' })
    configure({ headers: {} })
  })

  test.each([
    ['GET', () => post(`${dev.base}/errors-echo`, null, {}, 'GET'), 405, 'METHOD_NOT_ALLOWED'],
    ['a text/plain body', () => post(`${dev.base}/errors-echo`, '[[1],1]', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['no content type', () => post(`${dev.base}/errors-echo`, new Uint8Array([1]), {}), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['broken JSON', () => post(`${dev.base}/errors-echo`, '[[1],'), 400, 'BAD_REQUEST'],
    ['arguments that are not an array', () => post(`${dev.base}/errors-echo`, stringify({ a: 1 })), 400, 'BAD_REQUEST'],
    ['invalid UTF-8', () => post(`${dev.base}/errors-echo`, new Uint8Array([0x5b, 0xff, 0x5d])), 400, 'BAD_REQUEST'],
    ['a multipart body without payload', () => fetch(`${dev.base}/errors-echo`, { method: 'POST', body: new FormData() }), 400, 'BAD_REQUEST'],
    ['an id with a path in it', () => post(`${dev.base}/..%2Fetc%2Fpasswd`, '[[]]'), 404, 'NOT_FOUND'],
  ])('%s is refused', async (_, send, status, code) => {
    const response = await send()
    expect(response.status).toBe(status)
    expect(response.headers.get('x-use-server-error')).toBe(code)
    const { error } = parse(await response.text())
    expect(error.code).toBe(code)
    expect(error.message.length).toBeGreaterThan(20)
    if (status === 405) expect(response.headers.get('allow')).toBe('POST')
  })
})

describe('failures between client and server', () => {
  test('a server that is not there is a NETWORK error', async () => {
    const closed = await startServer()
    await closed.close()
    const error = await failure(closed.base, 'errors-echo', 1)
    expect(error).toMatchObject({ status: 0, code: 'NETWORK' })
  })

  test('something else answering (a proxy error page) is a BAD_RESPONSE error', async () => {
    const proxy = createServer((_, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>'))
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    try {
      const error = await failure(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/_server`, 'errors-echo', 1)
      expect(error).toMatchObject({ status: 502, code: 'BAD_RESPONSE' })
    } finally {
      proxy.close()
    }
  })
})
