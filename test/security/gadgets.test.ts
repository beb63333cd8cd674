import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectRefused } from './support/expectRefused.js'
import { expectNothingLogged, expectUnharmed } from './support/expectUnharmed.js'
import { flatCall, type AddEntry } from './support/flatCall.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { rawCall } from './support/rawRequest.js'

// Reference gadgets: a server function revived from a request, placed where the language or a
// reviver calls it on its own. One anonymous request used to end the production server this way:
// the File reviver coerced its part number, whose `valueOf` was a reference to a function that does
// not exist; the call rejected, nothing handled the rejection, and Node exited. References are now
// resolved while decoding (an unknown id or a bad token is a 400 before app code), never sit under a
// key the language calls, and calling one never leaves a rejection unhandled.

let app: HostileApp
beforeAll(async () => {
  app = await startHostileApp()
}, 120_000)
afterAll(() => app?.remove())

const observed = async () => (await rawCall(app.origin, app.ids.observed!, '[[]]')).envelope!.value as { calls: number }
const referenceTo = (add: AddEntry, id: string, token?: string) =>
  add(['ServerReference', add(token === undefined ? { id: add(id) } : { id: add(id), token: add(token) })])
const keyed = (add: AddEntry, key: string, value: number) => add(Object.defineProperty({}, key, { value, enumerable: true }))

test('the request that ended the server: a File whose part number has a reference as its valueOf', async () => {
  const body = '[[1],["File",2],[3,4],{"valueOf":5},0,["ServerReference",6],{"id":7},"AAAAAAAAAAAAAAAA"]'
  for (const id of [app.ids.add!, app.ids.echo!, app.ids.inspect!]) {
    expectRefused(await rawCall(app.origin, id, body), 400, /a server function was passed as a "valueOf" property/)
  }
  await expectUnharmed(app)
})

describe('a reference under a key the language calls on its own is refused before app code', () => {
  const keys = ['then', 'toString', 'valueOf', 'toJSON', 'toLocaleString', 'constructor']
  test.each(keys)('%s, in a plain object', async (key) => {
    const { text } = flatCall((add) => keyed(add, key, referenceTo(add, app.ids.recordCall!)))
    expectRefused(await rawCall(app.origin, app.ids.coerce!, text), 400, new RegExp(`passed as a "${key}" property, which the language calls on its own`))
    expect(await observed()).toMatchObject({ calls: 0 })
    await expectUnharmed(app)
  })

  test.each(keys)('%s, in a null-prototype object', async (key) => {
    const { text } = flatCall((add) => add(['null', key, referenceTo(add, app.ids.recordCall!)]))
    expectRefused(await rawCall(app.origin, app.ids.coerce!, text), 400, new RegExp(`"${key}" property`))
    expect(await observed()).toMatchObject({ calls: 0 })
    await expectUnharmed(app)
  })

  test('bound inside another reference, as the client-bound value it would be called with', async () => {
    const { text } = flatCall((add) => add(['ServerReference', add({ id: add(app.ids.invoke!), bound: add([keyed(add, 'toString', referenceTo(add, app.ids.recordCall!))]) })]))
    expectRefused(await rawCall(app.origin, app.ids.echo!, text), 400, /"toString" property/)
    expect(await observed()).toMatchObject({ calls: 0 })
    await expectUnharmed(app)
  })
})

describe('references are resolved while decoding: what cannot be called is a 400 before app code', () => {
  test.each<[string, (add: AddEntry) => number, RegExp]>([
    ['an unknown id', (add) => referenceTo(add, 'AAAAAAAAAAAAAAAA'), /passed as an argument does not exist on this server/],
    ['an unknown id where a reviver would coerce it', (add) => add(['File', add([referenceTo(add, 'AAAAAAAAAAAAAAAA'), add(0)])]), /does not exist on this server|not a part number/],
    ['a forged token', (add) => referenceTo(add, app.ids.readVault!, 'AQ' + 'A'.repeat(60)), /passed as an argument was refused: the bound-values token is invalid/],
    ['a bound function without its token', (add) => referenceTo(add, app.ids.readVault!), /passed as an argument was refused: this server function needs the values bound to it/],
    ['a token for another function', (add) => referenceTo(add, app.ids.recordCall!, 'AQ' + 'B'.repeat(60)), /the bound-values token is invalid/],
  ])('%s', async (_, reference, message) => {
    const { text } = flatCall((add) => add({ title: reference(add) }))
    expectRefused(await rawCall(app.origin, app.ids.titleOf!, text), 400, message)
    expect(await observed()).toMatchObject({ calls: 0 })
    await expectUnharmed(app)
  })
})

describe('a reference app code calls (duck typing) never leaves a rejection unhandled', () => {
  // `form.get('title')` on an object whose `get` is a server function: the app calls it, as it
  // would any function it was given; what that function does is what calling it directly would do.
  test.each([
    ['one that throws', 'crash'],
    ['one that rejects after the call has answered', 'rejectLater'],
    ['one that never settles', 'hang'],
  ])('%s', async (_, target) => {
    const { text } = flatCall((add) => keyed(add, 'get', referenceTo(add, app.ids[target]!)))
    const response = await rawCall(app.origin, app.ids.titleOf!, text)
    expect(response).toMatchObject({ status: 200, envelope: { value: '[object Promise]' } })
    await new Promise((resolve) => setTimeout(resolve, 50)) // past rejectLater's rejection
    await expectUnharmed(app)
  })
})

describe('bounded while decoding', () => {
  test('a sparse argument list of length 10^6 (spread into a call, it was a 500)', async () => {
    expectRefused(await rawCall(app.origin, app.ids.echoAll!, JSON.stringify([[-7, 1_000_000, 0, 1], 'x'])), 400, /1000000 arguments, over the limit of 1000/)
    await expectUnharmed(app)
  })

  test('a server function with 10^4 client-bound values', async () => {
    const { text } = flatCall((add) => add(['ServerReference', add({ id: add(app.ids.add!), bound: add(Array.from({ length: 10_000 }, () => 0)) })]))
    expectRefused(await rawCall(app.origin, app.ids.echo!, text), 400, /10000 bound values, over the limit of 1000/)
    await expectUnharmed(app)
  })

  test('101 server functions in one payload (each is looked up and its token opened)', async () => {
    const { text } = flatCall((add) => add(Array.from({ length: 101 }, () => referenceTo(add, app.ids.add!))))
    expectRefused(await rawCall(app.origin, app.ids.echo!, text), 400, /more than 100 server functions in one payload/)
    await expectUnharmed(app)
  })

  test('20 000 Blobs made of one 400 KB part (echoed, they made an 8 GB answer)', async () => {
    const form = new FormData()
    form.set('$payload', JSON.stringify([[1], Array.from({ length: 20_000 }, (_, i) => 2 + i), ...Array.from({ length: 20_000 }, () => ['Blob', 20_002]), [20_003], 0]))
    form.set('$0', new Blob([new Uint8Array(400 * 1024)]))
    const request = new Request('http://x/', { method: 'POST', body: form })
    const response = await rawCall(app.origin, app.ids.echo!, new Uint8Array(await request.arrayBuffer()), { 'content-type': request.headers.get('content-type')! })
    expectRefused(response, 400, /file part \$0 is used more than once/)
    await expectUnharmed(app)
  })

  test('5 000 distinct sparse arrays of length 10^6: their total length is bounded, not each one', async () => {
    const values = [Array.from({ length: 5_000 }, (_, i) => i + 1), ...Array.from({ length: 5_000 }, () => [-7, 1_000_000])]
    expectRefused(await rawCall(app.origin, app.ids.echoAll!, JSON.stringify(values)), 400, /sparse arrays of total length 1000000 \+ 1000000 is over the limit of 1000000/)
    await expectUnharmed(app)
  })

  test('a server function bound to itself (the args array, still being filled, as its bound values) is refused: app code that calls it would call it forever', async () => {
    // `invoke(fn)` calls `fn()`, which calls `invoke(...fn's bound values)`: `invoke(fn)` again. With
    // an `await` between the calls, that loop starved the event loop until the heap ran out.
    const body = JSON.stringify([[1], ['ServerReference', 2], { id: 3, bound: 0 }, app.ids.invoke!])
    expectRefused(await rawCall(app.origin, app.ids.invoke!, body), 400, /a server function passed as an argument is bound to itself/)
    await expectUnharmed(app)
  })

  test('tokens are opened once per request: 100 references to a token that holds 100 references to the previous one, three deep', async () => {
    // openVault seals whatever owner it is given, so a client can have it seal references to its own
    // earlier answer. Each token was opened and decoded again for every mention: 100^3 decodings,
    // a 34 KB request that kept the server busy for 42 s.
    const readVaultWith = (add: AddEntry, token: number) => add(['ServerReference', add({ id: add(app.ids.readVault!), token })])
    let token = (await rawCall(app.origin, app.ids.openVault!, '[[1],"alice"]')).envelope!.value.reference.token as string
    for (let level = 1; level <= 3; level++) {
      const { text } = flatCall((add) => {
        const sealed = add(token)
        return add(Array.from({ length: 100 }, () => readVaultWith(add, sealed)))
      })
      const response = await rawCall(app.origin, app.ids.openVault!, text)
      expect(response.status).toBe(200)
      expect(response.ms).toBeLessThan(5_000)
      token = response.envelope!.value.reference.token
    }
    const response = await rawCall(app.origin, app.ids.echo!, flatCall((add) => readVaultWith(add, add(token))).text)
    expect(response).toMatchObject({ status: 200, envelope: { value: { reference: { token } } } })
    expect(response.ms).toBeLessThan(5_000)
    await expectUnharmed(app)
  })

  test('a RegExp argument is refused (a 7 s ReDoS through String.prototype.split); the option lets it in', async () => {
    expectRefused(await rawCall(app.origin, app.ids.echo!, JSON.stringify([[1], ['RegExp', '(a+)+$', '']])), 400, /RegExp values are refused .* set limits\.allowRegExp/)
    await expectUnharmed(app)
  })
})

test('no hostile request made the server log an error', () => expectNothingLogged(app))
