import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { gadgetCall, graphCall, hostileBody, multipartCall, mutatedCall, queriesCall, randomBody, validCall, type HostileBody } from './fuzz/hostileBodies.js'
import { createInProcessTarget } from './fuzz/inProcessTarget.js'
import { judgeAnswer } from './fuzz/judgeAnswer.js'
import { expectDecodedAlike } from '../../packages/runtime/src/server/request/twoPassOracle.test-support.js'
import { DEFAULT_LIMITS } from '../../packages/runtime/src/server/request/validatePayload.js'
import { expectNothingLogged, expectUnharmed } from './support/expectUnharmed.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { rawRequest } from './support/rawRequest.js'

// Random and mutated bodies against the handler: no 5xx, an answer within a second, well-formed
// calls echoed exactly, nothing polluted and nothing called. In process for volume (15 000 cases, and 5 000 bodies decoded in one pass and in two),
// then over HTTP against the production server. `bench/security/fuzz.ts` runs 100 000.

describe('in process', () => {
  let target: Awaited<ReturnType<typeof createInProcessTarget>>
  beforeAll(async () => {
    target = await createInProcessTarget()
  })
  const property = (arbitrary: fc.Arbitrary<HostileBody>) =>
    fc.asyncProperty(arbitrary, async (body) => {
      judgeAnswer(body, await target.send(body))
      await target.check()
    })

  test.each<[string, fc.Arbitrary<HostileBody>, number]>([
    ['well-formed calls of every codec type are echoed exactly', validCall, 3_000],
    ['mutated calls', mutatedCall, 4_500],
    ['hostile graphs of the types decoded in one pass', graphCall, 1_500],
    ['random JSON, text and bytes', randomBody, 2_000],
    ['multipart bodies with any fields', multipartCall, 1_000],
    ['reference gadgets: server functions where the language would call them on its own', gadgetCall({ record: 'fuzz-record', reject: 'fuzz-reject' }), 1_500],
    ['queries headers of single flight, well-formed, mutated and random', queriesCall, 1_500],
  ])('%s', async (_, arbitrary, numRuns) => {
    await fc.assert(property(arbitrary), { numRuns })
  }, 60_000)

  test('the one-pass decode answers what the two passes answer, on every JSON body of the mix', () => {
    const json = fc.oneof(validCall, mutatedCall, graphCall, randomBody).filter((body) => typeof body.body === 'string')
    fc.assert(
      fc.property(json, (body) => {
        expectDecodedAlike(body.body as string, DEFAULT_LIMITS)
      }),
      { numRuns: 5_000 },
    )
  })
})

describe('over HTTP, against the production server', () => {
  let app: HostileApp
  beforeAll(async () => {
    app = await startHostileApp()
  }, 120_000)
  afterAll(() => app?.remove())

  test('600 bodies of every kind, reference gadgets included', async () => {
    const observed = async () => ((await rawRequest(app.origin, { path: `/_server/${app.ids.observed}`, headers: { 'content-type': 'application/json' }, body: '[[]]' })).envelope!.value as { calls: number }).calls
    const callsBefore = await observed()
    const bodies = fc.oneof({ arbitrary: hostileBody, weight: 5 }, { arbitrary: gadgetCall({ record: app.ids.recordCall!, reject: app.ids.rejectLater! }), weight: 1 })
    let sent = 0
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const id = body.queries !== undefined ? app.ids.touchItems : body.coerce ? app.ids.coerce : app.ids.echoAll
        const headers = { 'content-type': body.contentType, ...(body.queries === undefined ? {} : { 'x-use-server-queries': body.queries }) }
        judgeAnswer(body, await rawRequest(app.origin, { path: `/_server/${id}`, headers, body: body.body }))
        if (++sent % 50 === 0) await expectUnharmed(app)
      }),
      { numRuns: 600 },
    )
    await expectUnharmed(app)
    expect(await observed()).toBe(callsBefore)
    expectNothingLogged(app)
  }, 60_000)
})
