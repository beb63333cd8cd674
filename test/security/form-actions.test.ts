import { cookies, redirect, registerServerReference, ServerFunctionError } from '@use-server/runtime/server'
import { decodeFormAction, type FormActionOutcome } from '@use-server/runtime/ssr'
import { stringify } from 'devalue'
import { describe, expect, test } from 'vitest'
import { sealBoundValues } from '../../packages/runtime/src/server/security/boundToken.js'
import { getKeyRing } from '../../packages/runtime/src/server/security/keys.js'

// Forms posted without JavaScript (`<form action={fn}>`) reach the page, not the endpoint: the
// same attacks through that door. In process, so the test sees the server's own prototypes and
// whether a function ran.

const KEY = Buffer.alloc(32, 9).toString('base64')
const options = { key: KEY, bodyLimit: 256 * 1024, bodyTimeout: 500, dev: false }
const ran: string[] = []
registerServerReference(async (form: FormData) => (ran.push('fields'), Object.fromEntries(form)), 'form-fields', 'fields')
registerServerReference(async (owner: string, form: FormData) => (ran.push(`${owner}:${form.get('item')}`), owner), 'form-vault', 'vault', 1)
registerServerReference(async (owner: string) => owner, 'form-locker', 'locker', 1)
registerServerReference(async (form: FormData) => redirect(String(form.get('next'))), 'form-go', 'go')
registerServerReference(async (form: FormData) => void cookies().set('theme', String(form.get('theme'))), 'form-theme', 'theme')
registerServerReference(async () => {
  throw new Error('the database password is hunter2')
}, 'form-crash', 'crash')

const seal = async (id: string, owner: string, key = KEY) => sealBoundValues(await getKeyRing({ key }, false), id, stringify([owner]))

function post(fields: Array<[string, string]>, headers: Record<string, string> = {}): Promise<FormActionOutcome | null> {
  const form = new FormData()
  for (const [name, value] of fields) form.append(name, value)
  return decodeFormAction(new Request('http://app.test/posts', { method: 'POST', body: form, headers: { host: 'app.test', ...headers } }), options)
}

/** A refusal: the status and message, and the function never ran. */
async function expectRefusal(outcome: FormActionOutcome | null, status: number, message: RegExp) {
  expect(outcome?.type).toBe('response')
  const { response } = outcome as Extract<FormActionOutcome, { type: 'response' }>
  expect({ status: response.status, text: await response.text() }).toEqual({ status, text: expect.stringMatching(message) })
  expect(ran).toEqual([])
}

function expectNoPollution() {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted')
}

describe('no-JS form posts', () => {
  test.each<[string, Record<string, string>]>([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Origin: null', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('a cross-site post (%s) is a 403', async (_, headers) => {
    await expectRefusal(await post([['$ACTION_ID_form-fields', ''], ['title', 'x']], headers), 403, /cross-site form post refused/)
  })

  test.each(['__proto__', 'constructor', 'toString', '../x', '', 'a'.repeat(10_240)])('an action id %j is a 404', async (id) => {
    await expectRefusal(await post([[`$ACTION_ID_${id}`, '']]), 404, /older version of the page/)
  })

  test('a bound function with its token works, and with an edited, moved or foreign token is a 400', async () => {
    const token = await seal('form-vault', 'alice')
    const bound = (t: string, id = 'form-vault') => post([['$ACTION_REF_1', ''], ['$ACTION_1:id', id], ['$ACTION_1:token', t], ['item', 'ring']])
    expect(await bound(token)).toMatchObject({ type: 'render', status: 200 })
    expect(ran.splice(0)).toEqual(['alice:ring'])
    await expectRefusal(await bound(token.slice(0, -3)), 400, /bound-values token is invalid/)
    await expectRefusal(await bound(`${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`), 400, /bound-values token is invalid/)
    await expectRefusal(await bound(await seal('form-locker', 'alice')), 400, /bound-values token is invalid/)
    await expectRefusal(await bound(await seal('form-vault', 'mallory', Buffer.alloc(32, 1).toString('base64'))), 400, /bound-values token is invalid/)
    await expectRefusal(await post([['$ACTION_ID_form-vault', ''], ['item', 'ring']]), 400, /needs the values bound to it/)
  })

  test('qs-style pollution field names are just names', async () => {
    const outcome = await post([['$ACTION_ID_form-fields', ''], ['__proto__[polluted]', 'yes'], ['__proto__', 'yes'], ['constructor[prototype][polluted]', 'yes'], ['constructor', 'yes']])
    expect(outcome).toMatchObject({ type: 'render', status: 200 })
    expect(ran.splice(0)).toEqual(['fields'])
    expectNoPollution()
  })

  test('a body over the limit is a 413, and 1 001 parts are a 400 as the parser meets the 1 001st', async () => {
    await expectRefusal(await post([['$ACTION_ID_form-fields', ''], ['big', 'x'.repeat(300 * 1024)]]), 413, /larger than the limit/)
    await expectRefusal(await post([['$ACTION_ID_form-fields', ''], ...Array.from({ length: 1_000 }, (_, i): [string, string] => [`f${i}`, ''])]), 400, /the form has more than 1000 parts/)
  })

  test('an urlencoded form of 50 000 named empty fields is a 400 at the 1 001st', async () => {
    const body = `$ACTION_ID_form-fields=&${'a=&'.repeat(50_000)}`
    const request = new Request('http://app.test/posts', { method: 'POST', body, headers: { host: 'app.test', 'content-type': 'application/x-www-form-urlencoded' } })
    await expectRefusal(await decodeFormAction(request, options), 400, /the form has more than 1000 parts/)
  })

  test('an urlencoded form of 200 000 empty pairs holds the one field it names (parsers skip empty pairs)', async () => {
    const body = `$ACTION_ID_form-fields=${'&'.repeat(199_999)}`
    const request = new Request('http://app.test/posts', { method: 'POST', body, headers: { host: 'app.test', 'content-type': 'application/x-www-form-urlencoded' } })
    expect(await decodeFormAction(request, options)).toMatchObject({ type: 'render', status: 200 })
    expect(ran.splice(0)).toEqual(['fields'])
  })

  test('a body that trickles in is a 408 once the body timeout passes', async () => {
    const start = performance.now()
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        controller.enqueue(new TextEncoder().encode('a'))
      },
    })
    const request = new Request('http://app.test/', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, duplex: 'half' } as RequestInit)
    await expectRefusal(await decodeFormAction(request, options), 408, /did not arrive within 500 ms/)
    expect(performance.now() - start).toBeLessThan(1500)
  })
})

describe("what a form's function does with its input never becomes a 500, nor a leak", () => {
  test.each<[string, string]>([
    ['/posts/ünïcödé', '/posts/%C3%BCn%C3%AFc%C3%B6d%C3%A9'],
    ['/a\u2028b', '/a%E2%80%A8b'],
    ['/next?to=a b', '/next?to=a%20b'],
  ])('a redirect to %j is a 303 to %j', async (next, location) => {
    const outcome = await post([['$ACTION_ID_form-go', ''], ['next', next]])
    expect(outcome?.type).toBe('response')
    const { response } = outcome as Extract<FormActionOutcome, { type: 'response' }>
    expect({ status: response.status, location: response.headers.get('location') }).toEqual({ status: 303, location })
  })

  // (a lone surrogate cannot come this way: form encoding replaces it with U+FFFD; calls cover it)
  test.each(['javascript:alert(1)', '/posts\u007f', '/a\r\nSet-Cookie: x=1'])('a redirect to %j renders the page with a 400 and the reason', async (next) => {
    const outcome = await post([['$ACTION_ID_form-go', ''], ['next', next]])
    expect(outcome).toMatchObject({ type: 'render', status: 400, error: { code: 'INVALID_REDIRECT', message: expect.stringMatching(/^Refused to redirect/) } })
  })

  test('a cookie value over 4 KB renders the page with a 400 and the reason', async () => {
    const outcome = await post([['$ACTION_ID_form-theme', ''], ['theme', 'x'.repeat(5_000)]])
    expect(outcome).toMatchObject({ type: 'render', status: 400, error: { code: 'INVALID_COOKIE' } })
  })

  test('in production, the page gets the digest of an unexpected error, never its text', async () => {
    const outcome = (await post([['$ACTION_ID_form-crash', '']])) as Extract<FormActionOutcome, { type: 'render' }>
    expect(outcome).toMatchObject({ type: 'render', status: 500 })
    const error = outcome.error as ServerFunctionError
    expect(error).toBeInstanceOf(ServerFunctionError)
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', digest: expect.stringMatching(/^[0-9a-f]{10}$/) })
    expect(error.message).toBe(`The server function failed. Look for digest ${error.digest} in the server logs.`)
    expect(JSON.stringify(error)).not.toContain('hunter2')
  })

  test('in development (or with dev: true), the page gets the error itself', async () => {
    const form = new FormData()
    form.set('$ACTION_ID_form-crash', '')
    const outcome = await decodeFormAction(new Request('http://app.test/posts', { method: 'POST', body: form }), { ...options, dev: true })
    expect(outcome).toMatchObject({ type: 'render', status: 500, error: { message: 'the database password is hunter2' } })
  })
})
