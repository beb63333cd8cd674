import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectRefused } from './support/expectRefused.js'
import { expectNothingLogged, expectUnharmed } from './support/expectUnharmed.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { rawRequest, type RawRequest } from './support/rawRequest.js'

// Requests aimed at the endpoint itself: ids that walk prototypes or paths, ids of functions the
// client never had, wrong methods, and bodies in types the endpoint does not take.

let app: HostileApp
beforeAll(async () => {
  app = await startHostileApp()
}, 120_000)
afterAll(() => app?.remove())

const call = (path: string, extra: Partial<RawRequest> = {}): RawRequest => ({ path, headers: { 'content-type': 'application/json' }, body: '[[]]', ...extra })
const STALE = /no longer exists on the server/

describe('ids that are not a callable function are a 404, and never a path or a property', () => {
  test.each<[string, () => RawRequest]>([
    ['__proto__', () => call('/_server/__proto__')],
    ['constructor', () => call('/_server/constructor')],
    ['toString', () => call('/_server/toString')],
    ['hasOwnProperty', () => call('/_server/hasOwnProperty')],
    ['../x', () => call('/_server/../x')],
    ['..%2F..%2Fpackage.json', () => call('/_server/..%2F..%2Fpackage.json')],
    ['%2e%2e/%2e%2e/package.json', () => call('/_server/%2e%2e/%2e%2e/package.json')],
    ['/@fs/etc/passwd', () => call('/_server//@fs/etc/passwd')],
    ['the manifest file name', () => call('/_server/use-server-manifest.json')],
    ['an empty id', () => call('/_server/')],
    ['no id at all', () => call('/_server')],
    ['a 10 KB id', () => call(`/_server/${'a'.repeat(10_240)}`)],
    ['a NUL byte', () => call('/_server/add%00')],
    ['an inline function’s hoisted export name', () => call('/_server/$$server_openVault_readVault')],
    ['an export no client module imports', () => call(`/_server/${app.ids.neverImported}`)],
    ['a real id with a trailing slash', () => call(`/_server/${app.ids.add}/`)],
  ])('%s', async (_, request) => {
    expectRefused(await rawRequest(app.origin, request()), 404, STALE)
    await expectUnharmed(app)
  })
})

describe('files of the build are never served as source', () => {
  test.each(['/server/index.js', '/../server/index.js', '/..%2Fserver%2Findex.js', '/assets/..%2F..%2Fserver%2Fuse-server-manifest.json', '/%2e%2e/server/use-server-manifest.json'])(
    'GET %s',
    async (path) => {
      expectRefused(await rawRequest(app.origin, { method: 'GET', path }), 404, /^Not found/)
      await expectUnharmed(app)
    },
  )

  test('GET /@fs/etc/passwd is the app’s page (a client-side route), not the file', async () => {
    const response = await rawRequest(app.origin, { method: 'GET', path: '/@fs/etc/passwd' })
    expect(response.text).toContain('<title>use-server hostile-input fixture</title>')
    expect(response.text).not.toMatch(/root:/)
    await expectUnharmed(app)
  })
})

describe('methods other than POST are a 405 that names the one allowed', () => {
  test.each(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'])('%s', async (method) => {
    const response = await rawRequest(app.origin, call(`/_server/${app.ids.add}`, { method, body: method === 'GET' || method === 'TRACE' ? undefined : '[[]]' }))
    expectRefused(response, 405, /called with POST only/)
    expect(response.headers.allow).toBe('POST')
    await expectUnharmed(app)
  })

  test('HEAD (no body to carry a message, so the code travels in the header)', async () => {
    const response = await rawRequest(app.origin, { method: 'HEAD', path: `/_server/${app.ids.add}` })
    expect(response.status).toBe(405)
    expect(response.headers['x-use-server-error']).toBe('METHOD_NOT_ALLOWED')
    await expectUnharmed(app)
  })
})

describe('bodies in a type the endpoint does not take', () => {
  const add = () => `/_server/${app.ids.add}`
  test.each<[string, Record<string, string>, string | Uint8Array, number, RegExp]>([
    ['no content type', {}, '[[1,2],2,3]', 415, /not "\(none\)"/],
    ['text/plain', { 'content-type': 'text/plain' }, '[[1,2],2,3]', 415, /not "text\/plain"/],
    ['a urlencoded form', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1&b=2', 415, /not "application\/x-www-form-urlencoded"/],
    ['XML', { 'content-type': 'application/xml' }, '<a/>', 415, /not "application\/xml"/],
    ['multipart in capitals', { 'content-type': 'MULTIPART/FORM-DATA; boundary=x' }, '--x--', 415, /MULTIPART/],
    ['a 10 KB content type', { 'content-type': `application/${'x'.repeat(10_240)}` }, '[]', 415, /^A call must be sent as .{1,120}$/],
    ['multipart without a boundary', { 'content-type': 'multipart/form-data' }, '[[1,2],2,3]', 400, /multipart body could not be parsed/],
    ['multipart that is JSON', { 'content-type': 'multipart/form-data; boundary=zz' }, '[[1,2],2,3]', 400, /multipart body could not be parsed/],
    ['JSON that is multipart', { 'content-type': 'application/json' }, '--zz\r\n\r\n--zz--', 400, /payload is not JSON/],
    ['UTF-16 JSON', { 'content-type': 'application/json; charset=utf-16le' }, new Uint8Array(Buffer.from('[[1,2],2,3]', 'utf16le')), 400, /payload is not JSON/],
    ['an empty body', { 'content-type': 'application/json' }, '', 400, /payload is not JSON/],
  ])('%s', async (_, headers, body, status, message) => {
    expectRefused(await rawRequest(app.origin, { path: add(), headers, body }), status, message)
    await expectUnharmed(app)
  })
})

test('no hostile request made the server log an error', () => expectNothingLogged(app))
