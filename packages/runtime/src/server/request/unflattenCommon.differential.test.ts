import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { handleServerFunction } from '../handleServerFunction.js'
import { callEntries, payload } from './hostilePayloads.test-support.js'
import { expectDecodedAlike, expectSame, shipped, twoPasses, type Outcome } from './twoPassOracle.test-support.js'
import { DEFAULT_LIMITS } from './validatePayload.js'

// Hostile devalue texts (hostilePayloads.test-support.ts): the one-pass decode answers what the two passes
// answer (twoPassOracle.test-support.ts), and the handler answers alike whichever path a payload takes.

const RUNS = Number(process.env.CODEC_RUNS ?? 4000)
const SEED = Number(process.env.CODEC_SEED ?? 20261130)
const limits = fc.record({ maxDepth: fc.constantFrom(1, 2, 3, 4, 6, 128, 128, 128), maxEntries: fc.constantFrom(5, 100_000) }).map((l) => ({ ...DEFAULT_LIMITS, ...l }))

describe('unflattenCommon against the two passes, on hostile devalue texts', () => {
  test('decodeValueNow answers exactly what the two passes answer: the same graph, or the same refusal', () => {
    let accepted = 0
    fc.assert(
      fc.property(payload, limits, (text, l) => {
        const expected = expectDecodedAlike(text, l)
        if ('value' in expected) accepted++
        expect(Object.prototype).not.toHaveProperty('polluted')
        expect(Object.keys(Object.prototype)).toEqual([])
      }),
      { numRuns: RUNS, seed: SEED },
    )
    expect(accepted).toBeGreaterThan(RUNS / 10) // the generator reaches values, not only refusals
  })

  test.each([
    ['the root pointing at itself', '[[0,0,[0]]]'],
    ['a Map keyed by itself, a Set of itself', '[["Map",0,1],["Set",1,0]]'],
    ['an object shared under every hostile key', '[{"constructor":1,"prototype":1,"then":1,"toString":1,"valueOf":1,"toJSON":1},{"a":0}]'],
    ['duplicated keys (the last wins)', '[{"a":1,"a":2,"b":1},"first","second"]'],
    ['index keys out of order', '[{"b":1,"2":1,"1":1,"4294967295":1,"01":1},0]'],
    ['an object with a __proto__ key that nothing reaches', '[[1],"x",{"__proto__":{"polluted":true}}]'],
    ['a __proto__ key reached', '[[1],{"__proto__":2},{"polluted":3},true]'],
    ['a Date of the largest time, and one past it', '[[1,2],["Date","+275760-09-13T00:00:00.000Z"],["Date","+275760-09-13T00:00:00.001Z"]]'],
    ['a Date with a number', '[["Date",0]]'],
    ['a Map of odd length', '[["Map",1,1,1],"k"]'],
    ['a Map whose value is a HOLE', '[["Map",1,-2],"k"]'],
    ['a Set holding SPARSE', '[["Set",-7]]'],
    ['an array of 200 000 times the same index', `[[${Array(200_000).fill(1).join(',')}],{"a":1}]`],
    ['holes only', `[[${Array(1000).fill(-2).join(',')}]]`],
    ['a later slot made of the root', '[[1,2],[0],{"root":0}]'],
    ['an object shared deep down', '[[1],[2,2],[3,3],{"a":4,"b":4},["Set",5,5],["Map",6,6,6,6],{}]'],
    ['the special constants as values', '[[-1,-3,-4,-5,-6]]'],
    ['the special constants as the root', '-3'],
    ['SPARSE (-7) as the root', '-7'],
    ['HOLE (-2) as the root', '-2'],
    ['a huge and a negative index', '[[4294967295,-4294967295]]'],
    ['1e400 (Infinity to JSON.parse) as an index', '[[1e400]]'],
  ])('%s', (_, text) => {
    expectDecodedAlike(text, DEFAULT_LIMITS)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test('nesting 100 000 levels deep through objects, Maps and Sets is a refusal, not a stack overflow, with any maxDepth', () => {
    const depth = 100_000
    for (const [open, close] of [['{"a":', '}'], ['["Map",0,', ']'], ['["Set",', ']']] as const) {
      const text = `[${Array.from({ length: depth }, (_, i) => `${open}${i + 1}${close}`).join(',')},"leaf"]`
      for (const maxDepth of [128, 1_000_000]) {
        const l = { ...DEFAULT_LIMITS, maxDepth, maxEntries: depth + 1 }
        const outcome = shipped(text, l)
        expect(outcome).toEqual(twoPasses(text, l))
        expect(outcome).toHaveProperty('error')
      }
    }
  })
})

describe('prototypes the app hardened or changed', () => {
  // Object.freeze(Object.prototype) (or node --frozen-intrinsics) makes `object.toString = …` throw in
  // strict code, as a setter the app put on Object.prototype may: devalue's assignment throws the same,
  // and the two passes make it a 400. The one pass threw it out of the handler: a 500.
  const hardened: Array<[string, PropertyDescriptor]> = [
    ['readOnlyKey', { value: 1, writable: false, configurable: true }],
    ['guardedKey', { set: () => { throw new Error('guarded') }, configurable: true }],
  ]
  test.each(hardened)('%s on Object.prototype: the refusal of the two passes, a 400', async (key, descriptor) => {
    Object.defineProperty(Object.prototype, key, descriptor)
    try {
      const text = `[[1,2],{"${key}":3},["Map",1,2],"x"]`
      expect(expectDecodedAlike(text, DEFAULT_LIMITS)).toHaveProperty('error')
      const echo = { fn: async (...args: unknown[]) => args, name: 'echo' }
      const request = new Request('http://attack.test/_server/echo', { method: 'POST', body: text, headers: { 'content-type': 'application/json' } })
      const response = await handleServerFunction(request, { dev: false, resolve: () => echo, onError: () => {} })
      expect(response.status).toBe(400)
      expect(await response.text()).toContain('the payload could not be decoded')
    } finally {
      delete (Object.prototype as Record<string, unknown>)[key]
    }
  })
})

describe('an index on Array.prototype or Object.prototype (the app\'s), non-enumerable so not counted', () => {
  // The one pass keeps what it built in an array with holes and fills arrays made with their length: a
  // missing entry is read from the prototypes, an assignment may meet a setter there. Both decodes are
  // made while the index is there and compared once it is gone (it confuses expect itself).
  const inherited: Array<[string, PropertyDescriptor]> = [
    ['undefined', { value: undefined, writable: true }],
    ['an object', { value: { inherited: true }, writable: true }],
    ['an accessor that keeps nothing', { get: () => 'inherited', set: () => {} }],
  ]
  const text = '[{"a":1,"b":2,"c":3},[4,-2,4],"s",{"x":2},"k"]'
  test.each(inherited.flatMap(([what, descriptor]) => ['0', '1', '3'].flatMap((index) => [Array.prototype, Object.prototype].map((proto) => [`${proto === Array.prototype ? 'Array' : 'Object'}.prototype[${index}]: ${what}`, proto, index, descriptor] as const))))(
    '%s: the answer of the two passes',
    (_, proto, index, descriptor) => {
      Object.defineProperty(proto, index, { configurable: true, ...descriptor })
      let outcomes: [Outcome, ReturnType<typeof twoPasses>]
      try {
        outcomes = [shipped(text, DEFAULT_LIMITS), twoPasses(text, DEFAULT_LIMITS)]
      } finally {
        delete (proto as unknown as Record<string, unknown>)[index]
      }
      expectSame(outcomes[0], outcomes[1] as Outcome, text)
    },
  )
})

describe('the handler: one pass or two, the same answer', () => {
  // An unreachable entry of another type sends the same payload through the two passes: neither visits it.
  const forced = (text: string) => `${text.slice(0, -1)},["BigInt","1"]]`
  const echo = { fn: async (...args: unknown[]) => args, name: 'echo' }
  const errors: unknown[] = []
  const options = { dev: false, key: Buffer.alloc(32, 6).toString('base64'), resolve: () => echo, onError: (error: unknown) => void errors.push(error) }
  const send = async (body: string) => {
    const response = await handleServerFunction(new Request('http://attack.test/_server/echo', { method: 'POST', body, headers: { 'content-type': 'application/json' } }), options)
    return `${response.status} ${await response.text()}`
  }

  test('never a 5xx, and the answer of the one pass is the answer of the two, byte for byte', async () => {
    // The root is an array of arguments; indices never equal the length, which the forced copy makes valid.
    const args = callEntries.map((entries) => {
      const length = entries.length
      const safe = (text: string) => text.replace(new RegExp(`(?<![\\d.e"])${length}(?![\\d.e"])`, 'g'), String(length + 1))
      return `[${entries.map(safe).join(',')}]`
    })
    let ok = 0
    await fc.assert(
      fc.asyncProperty(args, async (text) => {
        const answer = await send(text)
        expect(answer).toMatch(/^(200|400) /)
        expect(answer).toBe(await send(forced(text)))
        if (answer.startsWith('200')) ok++
      }),
      { numRuns: Math.ceil(RUNS / 4), seed: SEED },
    )
    expect(errors).toEqual([])
    expect(ok).toBeGreaterThan(RUNS / 40)
  })
})
