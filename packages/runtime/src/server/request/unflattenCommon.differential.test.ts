import { unflatten } from 'devalue'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { handleServerFunction } from '../handleServerFunction.js'
import { decodeValueNow, NO_FILES } from './decodeValue.js'
import { DEFAULT_LIMITS, PayloadError, validatePayload, type DecodeLimits } from './validatePayload.js'
import { resolveHandlerOptions } from '../handlerOptions.js'

// Hostile devalue texts against the decoder as shipped (one pass, else two) and against the two passes
// alone, compared as graphs: the same prototypes, own keys in order, holes, Map and Set order, and the
// same sharing (a bijection between the objects of both), or the same refusal, word for word.

const RUNS = Number(process.env.CODEC_RUNS ?? 4000)
const SEED = Number(process.env.CODEC_SEED ?? 20261130)
const tags = new Set(['File', 'Blob', 'FormData', 'ServerReference'])

type Outcome = { value: unknown } | { error: string }

function shipped(text: string, limits: DecodeLimits): Outcome {
  const o = resolveHandlerOptions({ resolve: () => undefined, limits })
  try {
    return { value: decodeValueNow(text, NO_FILES, o).value }
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error // a 500
    return { error: error.message }
  }
}

/** decodeValueNow before the one pass: validatePayload, then devalue's unflatten (no custom type is generated). */
function twoPasses(text: string, limits: DecodeLimits): Outcome {
  try {
    const parsed: unknown = JSON.parse(text)
    validatePayload(parsed, tags, limits)
    try {
      return { value: unflatten(parsed as unknown[]) }
    } catch (error) {
      return { error: `the payload could not be decoded: ${(error as Error).message}` }
    }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

/** Whether `a` and `b` are the same graph: one object of `a` stands for exactly one of `b`, and the reverse. */
function sameGraph(a: unknown, b: unknown, ab = new Map<object, object>(), ba = new Map<object, object>(), path = '$'): void {
  if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') {
    if (!Object.is(a, b)) throw new Error(`${path}: ${String(a)} ≠ ${String(b)}`)
    return
  }
  if (ab.has(a) || ba.has(b)) {
    if (ab.get(a) !== b || ba.get(b) !== a) throw new Error(`${path}: shared differently`)
    return
  }
  ab.set(a, b)
  ba.set(b, a)
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) throw new Error(`${path}: another prototype`)
  const keysA = Reflect.ownKeys(a)
  const keysB = Reflect.ownKeys(b)
  if (keysA.join('\u0000') !== keysB.join('\u0000')) throw new Error(`${path}: keys ${keysA.map(String)} ≠ ${keysB.map(String)}`)
  for (const key of keysA) {
    const da = Object.getOwnPropertyDescriptor(a, key)!
    const db = Object.getOwnPropertyDescriptor(b, key)!
    if (da.enumerable !== db.enumerable || da.writable !== db.writable || 'get' in da || 'get' in db) throw new Error(`${path}.${String(key)}: another property`)
    sameGraph(da.value, db.value, ab, ba, `${path}.${String(key)}`)
  }
  if (a instanceof Date) sameGraph(a.getTime(), (b as Date).getTime(), ab, ba, `${path}<time>`)
  if (a instanceof Map || a instanceof Set) {
    const entriesA = [...(a as Map<unknown, unknown>).entries()]
    const entriesB = [...(b as Map<unknown, unknown>).entries()]
    if (entriesA.length !== entriesB.length) throw new Error(`${path}: ${entriesA.length} ≠ ${entriesB.length} entries`)
    entriesA.forEach(([k, v], i) => {
      sameGraph(k, entriesB[i]![0], ab, ba, `${path}<key ${i}>`)
      sameGraph(v, entriesB[i]![1], ab, ba, `${path}<value ${i}>`)
    })
  }
}

function expectSame(actual: Outcome, expected: Outcome, text: string) {
  if ('error' in expected || 'error' in actual) {
    expect({ text, ...actual }).toEqual({ text, ...expected })
    return
  }
  try {
    sameGraph(actual.value, expected.value)
  } catch (error) {
    throw new Error(`${text}: ${(error as Error).message}`)
  }
}

// ── hostile flat arrays ──────────────────────────────────────────────────────────────────────────
const MAX_ENTRIES = 10
const weird = [-0, 0.5, 1.5, -1.5, -8, -99, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53, 1e308, '0', '-1', null, true, false, [0], {}]
const index = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 4 }) }, // mostly in range, so that graphs get built
  { weight: 2, arbitrary: fc.integer({ min: 0, max: MAX_ENTRIES + 1 }) },
  { weight: 3, arbitrary: fc.integer({ min: -7, max: -1 }) },
  { weight: 1, arbitrary: fc.constantFrom(...weird) },
)
const key = fc.constantFrom('a', 'b', '0', '1', '01', '-1', '4294967294', '4294967295', 'length', '__proto__', 'constructor', 'prototype', 'then', 'toString', 'valueOf', 'toJSON', 'hasOwnProperty', '')
const text = fc.constantFrom('x', '', 'true', 'false', '__proto__', '</script>', '\u2028', '\ud800', 'Date', 'Map')
const isoText = fc.constantFrom('2020-01-01T00:00:00.000Z', '', 'x', '0', '+275760-09-13T00:00:00.000Z', '+275760-09-13T00:00:00.001Z', '-271821-04-20T00:00:00.000Z', '2020-02-30')
/** Each entry as JSON text, so that duplicated keys and -0 survive to JSON.parse. */
const entry: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: text.map((s) => JSON.stringify(s)) },
  { weight: 2, arbitrary: fc.constantFrom('0', '-0', '1', '-1', '1e308', '0.5', '9007199254740993', 'true', 'false', 'null') },
  { weight: 5, arbitrary: fc.array(fc.oneof({ weight: 4, arbitrary: index }, { weight: 1, arbitrary: fc.constant(-2) }), { maxLength: 6 }).map(json) },
  { weight: 5, arbitrary: fc.array(fc.tuple(key, index), { maxLength: 5 }).map((pairs) => `{${pairs.map(([k, i]) => `${JSON.stringify(k)}:${json(i)}`).join(',')}}`) },
  { weight: 2, arbitrary: fc.oneof(isoText, fc.integer(), fc.constant(null)).map((value) => json(['Date', value])) },
  { weight: 1, arbitrary: fc.constant('["Date"]') },
  { weight: 2, arbitrary: fc.array(index, { maxLength: 6 }).map((items) => json(['Map', ...items])) },
  { weight: 2, arbitrary: fc.array(index, { maxLength: 5 }).map((items) => json(['Set', ...items])) },
  // other types: the two passes decide
  { weight: 1, arbitrary: fc.constantFrom('["BigInt","12"]', '["Object",1]', '["RegExp","a"]', '["URL","http://x/"]', '["null","a",0]', '[-7,3,1,0]', '[-7,4294967296]', '["Nope"]') },
)
function json(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(json).join(',')}]` : Object.is(value, -0) ? '-0' : JSON.stringify(value)
}

/** A payload: its entries, and sometimes a chain of arrays around the limit of depth in front of them. */
const payload = fc
  .tuple(fc.array(entry, { minLength: 1, maxLength: MAX_ENTRIES }), fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined, freq: 4 }))
  .map(([entries, chain]) => {
    if (chain === undefined) return `[${entries.join(',')}]`
    // [[1],[2],…,[chain]] then the entries, whose indices now point `chain` entries earlier than they did.
    const links = Array.from({ length: chain }, (_, i) => `[${i + 1}]`)
    return `[${[...links, ...entries].join(',')}]`
  })
const limits = fc.record({ maxDepth: fc.constantFrom(1, 2, 3, 4, 6, 128, 128, 128), maxEntries: fc.constantFrom(5, 100_000) }).map((l) => ({ ...DEFAULT_LIMITS, ...l }))

describe('unflattenCommon against the two passes, on hostile devalue texts', () => {
  test('decodeValueNow answers exactly what the two passes answer: the same graph, or the same refusal', () => {
    let accepted = 0
    fc.assert(
      fc.property(payload, limits, (text, l) => {
        const expected = twoPasses(text, l)
        expectSame(shipped(text, l), expected, text)
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
    ['-2 and -7 as the root', '-7'],
    ['a huge and a negative index', '[[4294967295,-4294967295]]'],
    ['1e400 (Infinity to JSON.parse) as an index', '[[1e400]]'],
  ])('%s', (_, text) => {
    expectSame(shipped(text, DEFAULT_LIMITS), twoPasses(text, DEFAULT_LIMITS), text)
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
    const args = fc.tuple(fc.array(index, { maxLength: 4 }), fc.array(entry, { maxLength: MAX_ENTRIES - 1 })).map(([root, rest]) => {
      const length = rest.length + 1
      const safe = (text: string) => text.replace(new RegExp(`(?<![\\d.e"])${length}(?![\\d.e"])`, 'g'), String(length + 1))
      return `[${[json(root), ...rest].map(safe).join(',')}]`
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
