import { parse } from 'devalue'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { expectUnharmed } from '../security/support/expectUnharmed.js'
import { startHostileApp, type HostileApp } from '../security/support/hostileApp.js'

// Many calls in flight at once against the production server: every one succeeds, and each sees
// only its own request (headers in, cookies out), never another's. The volume run (50 000 calls at
// 200 connections, memory after 200 000) is `bench/security/load.ts`.

let app: HostileApp
beforeAll(async () => {
  app = await startHostileApp()
}, 120_000)
afterAll(() => app?.remove())

test('2 000 calls, 200 at a time: all answered, none sees another’s request', async () => {
  const CALLS = 2_000
  const CONCURRENCY = 200
  let next = 0
  const answered: number[] = []
  const worker = async () => {
    for (let caller = next++; caller < CALLS; caller = next++) {
      const response = await fetch(`${app.origin}/_server/${app.ids.whoAmI}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-caller': String(caller) },
        body: `[[1],${caller}]`,
      })
      expect(response.status).toBe(200)
      expect(parse(await response.text())).toEqual({ value: { caller, header: String(caller) } })
      expect(response.headers.getSetCookie()).toEqual([`caller=${caller}; Path=/`])
      answered.push(caller)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  expect(answered.sort((a, b) => a - b)).toEqual(Array.from({ length: CALLS }, (_, i) => i))
  await expectUnharmed(app)
}, 60_000)
