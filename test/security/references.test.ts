import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectRefused } from './support/expectRefused.js'
import { expectNothingLogged, expectUnharmed } from './support/expectUnharmed.js'
import { flatCall, type AddEntry } from './support/flatCall.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { rawCall } from './support/rawRequest.js'

// Server functions passed as arguments: printing one must not reveal any source (React's
// CVE-2025-55183 returned a server function's code that way), one hidden in a `then` must never
// be called by an `await`, and one the client never had, or one that needs bound values, must
// not become callable by being passed along.

let app: HostileApp
beforeAll(async () => {
  app = await startHostileApp()
}, 120_000)
afterAll(() => app?.remove())

/** The call of a one-argument function with a server reference to `id` as its argument. */
const referenceTo = (id: string) => `[[1],["ServerReference",2],{"id":3},${JSON.stringify(id)}]`

const observed = async () => (await rawCall(app.origin, app.ids.observed!, '[[]]')).envelope!.value as { calls: number }

describe('a server function received as an argument never shows source', () => {
  test('interpolated into a string, it prints as native code', async () => {
    const response = await rawCall(app.origin, app.ids.greet!, referenceTo(app.ids.secretFormula!))
    expect(response).toMatchObject({ status: 200, envelope: { value: 'Hello, function () { [native code] }!' } })
    expect(response.text).not.toContain('SECRET_FORMULA')
    await expectUnharmed(app)
  })

  test('sent back, it travels as its id', async () => {
    const response = await rawCall(app.origin, app.ids.echo!, referenceTo(app.ids.secretFormula!))
    expect(response).toMatchObject({ status: 200, envelope: { value: { reference: { id: app.ids.secretFormula } } } })
    expect(response.text).not.toContain('SECRET_FORMULA')
    expect(response.text).not.toContain('recipe')
    await expectUnharmed(app)
  })
})

describe('a server function in a `then` property is refused, and never called', () => {
  const recordCall = (add: AddEntry) => add(['ServerReference', add({ id: add(app.ids.recordCall) })])
  test.each<[string, (add: AddEntry) => number]>([
    ['a plain object', (add) => add({ then: recordCall(add) })],
    ['a null-prototype object', (add) => add(['null', 'then', recordCall(add)])],
    ['an object 50 levels down', (add) => Array.from({ length: 50 }).reduce<number>((inner) => add({ a: inner }), add({ then: recordCall(add) }))],
  ])('%s', async (_, thenable) => {
    expectRefused(await rawCall(app.origin, app.ids.echo!, flatCall(thenable).text), 400, /passed as a "then" property/)
    expect(await observed()).toMatchObject({ calls: 0 })
    await expectUnharmed(app)
  })

  test('a `then` that is data stays data', async () => {
    const response = await rawCall(app.origin, app.ids.echo!, JSON.stringify([[1], [2, 4, 6], { then: 3 }, 'not a function', { then: 5 }, null, ['Map', 7, 8], 'then', ['ServerReference', 9], { id: 10 }, app.ids.recordCall]))
    expect(response.status).toBe(200)
    expect(response.envelope!.value).toEqual([{ then: 'not a function' }, { then: null }, new Map([['then', { reference: { id: app.ids.recordCall, bound: [] } }]])])
    expect(await observed()).toMatchObject({ calls: 0 })
    await expectUnharmed(app)
  })
})

describe('passing a function along does not make it callable', () => {
  const invoke = (id: string, token?: string) =>
    rawCall(app.origin, app.ids.invoke!, flatCall((add) => add(['ServerReference', add(token === undefined ? { id: add(id) } : { id: add(id), token: add(token) })])).text)

  test('one no client module imports is refused while decoding, as a 400', async () => {
    expectRefused(await invoke(app.ids.neverImported!), 400, /passed as an argument does not exist on this server/)
    await expectUnharmed(app)
  })

  test.each(['__proto__', 'constructor', 'toString'])('an id named %s is refused while decoding, as a 400', async (id) => {
    expectRefused(await invoke(id), 400, /passed as an argument does not exist on this server/)
    await expectUnharmed(app)
  })

  test.each(['../x', '/@fs/etc/passwd', '', 'a'.repeat(10_240)])('an id that is not an id (%j) is refused while decoding', async (id) => {
    expectRefused(await invoke(id), 400, /malformed server function reference/)
    await expectUnharmed(app)
  })

  test('a bound function without its token is a 400', async () => {
    expectRefused(await invoke(app.ids.readVault!), 400, /passed as an argument was refused: this server function needs the values bound to it/)
    await expectUnharmed(app)
  })

  test('a bound function with a forged token is a 400', async () => {
    expectRefused(await invoke(app.ids.readVault!, 'AQ' + 'A'.repeat(60)), 400, /passed as an argument was refused: the bound-values token is invalid/)
    await expectUnharmed(app)
  })
})

test('no hostile request made the server log an error', () => expectNothingLogged(app))
