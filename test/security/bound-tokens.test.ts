import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sealBoundValues } from '../../packages/runtime/src/server/security/boundToken.js'
import { getKeyRing } from '../../packages/runtime/src/server/security/keys.js'
import { expectRefused } from './support/expectRefused.js'
import { expectNothingLogged, expectUnharmed } from './support/expectUnharmed.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { rawCall, rawRequest } from './support/rawRequest.js'

// Values bound on the server (`openVault('alice')` returns a function bound to 'alice') travel to
// the client sealed with AES-256-GCM under the function's id. A client that edits the token,
// cuts it, moves it to another function or seals its own must get a 400, never the function
// running with values it chose.

let app: HostileApp
let vaultToken: string
let lockerToken: string
beforeAll(async () => {
  app = await startHostileApp()
  vaultToken = await tokenFrom(app.ids.openVault!, app.ids.readVault!)
  lockerToken = await tokenFrom(app.ids.openLocker!, app.ids.readLocker!)
}, 120_000)
afterAll(() => app?.remove())

/** Calls a function that returns a bound inline function, and takes the sealed token it came with. */
async function tokenFrom(opener: string, boundId: string): Promise<string> {
  const { envelope } = await rawCall(app.origin, opener, '[[1],"alice"]')
  expect(envelope!.value.reference.id).toBe(boundId)
  return envelope!.value.reference.token
}

/** A call of `id` the way the client sends a bound reference: multipart, the token in `$bound`. */
function callWithToken(id: string, token: string | undefined, argument = 'ring') {
  const boundary = 'token-boundary'
  const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  const body = part('$payload', JSON.stringify([[1], argument])) + (token === undefined ? '' : part('$bound', token)) + `--${boundary}--\r\n`
  return rawRequest(app.origin, { path: `/_server/${id}`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body })
}

const INVALID = /the bound-values token is invalid \(tampered, truncated, made for another function, or sealed with a key this server does not have\)/
/** The token with the base64url character at `index` replaced by a different one. */
const flipped = (token: string, index: number) => token.slice(0, index) + (token[index] === 'A' ? 'B' : 'A') + token.slice(index + 1)

test('the token as issued opens, for the function it was issued for', async () => {
  expect(await callWithToken(app.ids.readVault!, vaultToken)).toMatchObject({ status: 200, envelope: { value: "alice's vault: ring" } })
  expect(vaultToken).not.toContain('alice')
})

describe('a token that is not the one issued is a 400', () => {
  test.each<[string, () => string]>([
    ['its version byte flipped', () => flipped(vaultToken, 0)],
    ['a bit of its IV flipped', () => flipped(vaultToken, 5)],
    ['a bit of its ciphertext flipped', () => flipped(vaultToken, 20)],
    ['a bit of its tag flipped', () => flipped(vaultToken, vaultToken.length - 2)],
    ['its last character cut', () => vaultToken.slice(0, -1)],
    ['cut to half', () => vaultToken.slice(0, vaultToken.length >> 1)],
    ['cut to its header', () => vaultToken.slice(0, 17)],
    ['empty', () => ''],
    ['twice over', () => vaultToken + vaultToken],
    ['in standard base64 instead of base64url', () => vaultToken.replace(/-/g, '+').replace(/_/g, '/') + '=='],
    ['with characters base64 does not have', () => `${vaultToken.slice(0, 10)}!@#$%${vaultToken.slice(15)}`],
    ['100 KB long', () => 'A'.repeat(100 * 1024)],
  ])('%s', async (_, token) => {
    expectRefused(await callWithToken(app.ids.readVault!, token()), 400, INVALID)
    await expectUnharmed(app)
  })

  test('one issued for another function (moved from readLocker to readVault)', async () => {
    expect(await callWithToken(app.ids.readLocker!, lockerToken)).toMatchObject({ status: 200, envelope: { value: "alice's locker: ring" } })
    expectRefused(await callWithToken(app.ids.readVault!, lockerToken), 400, INVALID)
    await expectUnharmed(app)
  })

  test('one sent to a function that has no bound values', async () => {
    expectRefused(await callWithToken(app.ids.echo!, vaultToken), 400, INVALID)
    await expectUnharmed(app)
  })

  test('one sealed with another key, for the right function and with the attacker’s own values', async () => {
    const otherRing = await getKeyRing({ key: Buffer.alloc(32, 7).toString('base64') }, false)
    const forged = await sealBoundValues(otherRing, app.ids.readVault!, JSON.stringify([[1], 'mallory']))
    expectRefused(await callWithToken(app.ids.readVault!, forged), 400, INVALID)
    await expectUnharmed(app)
  })

  test('none at all, for a function that needs one', async () => {
    expectRefused(await callWithToken(app.ids.readVault!, undefined), 400, /needs the values bound to it; call it through the reference the server gave you/)
    expectRefused(await rawCall(app.origin, app.ids.readVault!, '[[1],"ring"]'), 400, /needs the values bound to it/)
    await expectUnharmed(app)
  })
})

test('no hostile request made the server log an error', () => expectNothingLogged(app))
