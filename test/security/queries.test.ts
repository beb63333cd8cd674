import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectRefused } from './support/expectRefused.js'
import { expectNothingLogged, expectUnharmed } from './support/expectUnharmed.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { rawCall, rawRequest } from './support/rawRequest.js'

// The queries header of single flight (`x-use-server-queries`): a list the client sends with each
// call, whose entries the server may run after the call. Checked before the function runs: a
// malformed or oversized list is a 400 and the function never runs. An entry that cannot be run (a
// stale id, a forged token) answers with its own error; the call itself is unharmed.

let app: HostileApp
beforeAll(async () => {
  app = await startHostileApp()
}, 120_000)
afterAll(() => app?.remove())

const touches = async () => ((await rawCall(app.origin, app.ids.observed!, '[[]]')).envelope!.value as { touches: number }).touches
const header = (entries: unknown) => Buffer.from(JSON.stringify(entries)).toString('base64url')
const callOf = (id: string, token?: string) => JSON.stringify([['ServerReference', 1], token === undefined ? { id: 2, bound: 3 } : { id: 2, bound: 3, token: 4 }, id, [], ...(token === undefined ? [] : [token])])
const touch = (queries: string, path = `/_server/${app.ids.touchItems}`) =>
  rawRequest(app.origin, { path, headers: { 'content-type': 'application/json', 'x-use-server-queries': queries }, body: '[[]]' })

describe('a malformed queries header is a 400, and the function does not run', () => {
  test.each<[string, () => string, RegExp]>([
    ['not base64', () => '!!!', /not base64url of JSON/],
    ['base64 of text', () => Buffer.from('hello').toString('base64url'), /the queries header is not JSON/],
    ['an object', () => header({ call: 'x' }), /not a list/],
    ['51 queries', () => header(Array.from({ length: 51 }, () => ({ call: callOf(app.ids.listItems!), tags: [], paths: [] }))), /51 queries, over the limit of 50/],
    ['an entry without tags', () => header([{ call: callOf(app.ids.listItems!), paths: [] }]), /has no list of at most 64 tags/],
    ['65 tags', () => header([{ call: callOf(app.ids.listItems!), tags: Array.from({ length: 65 }, (_, i) => `t${i}`), paths: [] }]), /at most 64 tags/],
    ['a path that is not a path', () => header([{ call: callOf(app.ids.listItems!), tags: [], paths: ['posts'] }]), /malformed entry in its paths/],
    ['a page on another host', () => header([{ page: '//evil.example/x', tags: [], paths: [] }]), /names a page that is not a path/],
    ['a call and a page at once', () => header([{ call: callOf(app.ids.listItems!), page: '/', tags: [], paths: [] }]), /has neither a call nor a page/],
    ['a call that is not JSON', () => header([{ call: '[[', tags: [], paths: [] }]), /call that is not JSON/],
    ['a call that is not a server function', () => header([{ call: '[[1],2]', tags: [], paths: [] }]), /not a server function/],
    ['a call with a __proto__ key', () => header([{ call: '[["ServerReference",1],{"__proto__":2},"x"]', tags: [], paths: [] }]), /__proto__/],
    ['a call nested 200 deep', () => header([{ call: JSON.stringify([['ServerReference', 1], ...Array.from({ length: 200 }, (_, i) => [i + 2])]), tags: [], paths: [] }]), /nesting deeper than 128/],
  ])('%s', async (_, queries, message) => {
    const before = await touches()
    expectRefused(await touch(queries()), 400, message)
    expect(await touches()).toBe(before)
    await expectUnharmed(app)
  })
})

describe('an entry that cannot run answers with its own error; the call is unharmed', () => {
  test.each<[string, () => string, RegExp]>([
    ['an id this server does not have', () => callOf('AAAAAAAAAAAAAAAA'), /does not exist on this server/],
    ['a forged token', () => callOf(app.ids.readVault!, 'AQ' + 'A'.repeat(60)), /bound-values token is invalid/],
    ['a bound function without its token', () => callOf(app.ids.readVault!), /needs the values bound to it/],
  ])('%s', async (_, call, message) => {
    const response = await touch(header([{ call: call(), tags: ['items'], paths: [] }]))
    expect(response.status).toBe(200)
    expect(response.envelope).toMatchObject({ value: 'touched', refreshed: [{ index: 0, error: { code: 'BAD_REQUEST', message: expect.stringMatching(message) } }] })
    await expectUnharmed(app)
  })

  test('a page entry, on a server without page data', async () => {
    const response = await touch(header([{ page: '/posts', tags: ['items'], paths: [] }]))
    expect(response.envelope).toMatchObject({ value: 'touched', refreshed: [{ index: 0, error: { message: expect.stringMatching(/no page data/) } }] })
  })
})

describe('what single flight runs is only what the call touched, within the same limits', () => {
  test('an untouched query is not run; a touched one comes back fresh', async () => {
    const queries = header([
      { call: callOf(app.ids.listItems!), tags: ['items'], paths: [] },
      { call: callOf(app.ids.recordCall!), tags: ['other'], paths: [] },
    ])
    const response = await touch(queries)
    expect(response.envelope).toMatchObject({ value: 'touched', revalidated: { tags: ['items'] }, refreshed: [{ index: 0, value: ['an item'], tags: ['items'] }] })
    expect(response.envelope!.refreshed).toHaveLength(1)
    expect((await rawCall(app.origin, app.ids.observed!, '[[]]')).envelope!.value).toMatchObject({ calls: 0 })
  })

  test('$refresh runs every query its body lists; cross-site, other methods and malformed lists are refused like calls', async () => {
    const list = JSON.stringify([{ call: callOf(app.ids.listItems!), tags: [], paths: [] }])
    const refresh = (body: string, headers: Record<string, string> = {}, method = 'POST') => rawRequest(app.origin, { method, path: '/_server/$refresh', headers: { 'content-type': 'application/json', ...headers }, body })
    expect((await refresh(list)).envelope).toMatchObject({ refreshed: [{ index: 0, value: ['an item'] }] })
    expectRefused(await refresh(list, { origin: 'https://evil.example' }), 403, /Cross-site call refused/)
    expectRefused(await rawRequest(app.origin, { method: 'GET', path: '/_server/$refresh' }), 405, /POST only/)
    expectRefused(await refresh('{'), 400, /the refresh request is not JSON/)
    expectRefused(await refresh(JSON.stringify(Array.from({ length: 51 }, () => ({ page: '/', tags: [], paths: [] })))), 400, /the refresh request lists 51 queries, over the limit of 50/)
    expectRefused(await refresh('x'.repeat(2 * 1024 * 1024)), 413, /larger than the limit/)
    await expectUnharmed(app)
  })
})

test('no hostile request made the server log an error', () => expectNothingLogged(app))
