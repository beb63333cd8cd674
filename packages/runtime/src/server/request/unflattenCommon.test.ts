import { stringify } from 'devalue'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { anyValue, corpus } from '../../codec/codecCorpus.test-support.js'
import { REFERENCE_TAG } from '../../codec/devalueFormat.js'
import { resolveHandlerOptions } from '../handlerOptions.js'
import { decodeValueNow, NO_FILES } from './decodeValue.js'
import { twoPassesOfParsed as twoPasses } from './twoPassOracle.test-support.js'
import { unflattenCommon, UNSURE } from './unflattenCommon.js'
import { DEFAULT_LIMITS } from './validatePayload.js'

const options = resolveHandlerOptions({ resolve: () => undefined })

/** devalue's text of a decoded value: types, key order, holes, shared and cyclic references all show in it. */
const shape = (value: unknown) => stringify(value)

/**
 * The one pass accepts only what the two passes accept, and builds the same value; `UNSURE`
 * leaves the decision to them. Returns what the one pass answered.
 */
function agrees(values: unknown, limits = DEFAULT_LIMITS): unknown {
  const reference = twoPasses(values, limits)
  const common = unflattenCommon(values, limits)
  if (common !== UNSURE) {
    expect(reference).not.toHaveProperty('error')
    expect(shape(common)).toBe(shape((reference as { value: unknown }).value))
  }
  return common
}

/** The devalue text of a flat array (`JSON.parse` makes `__proto__` an own key, as a request's body does). */
const fromJson = (json: string) => JSON.parse(json) as unknown

describe('unflattenCommon: one pass that checks while it builds', () => {
  const common = corpus().filter(([name]) => /^(string|empty string|number|booleans|null|nested|repeated references|cyclic|unicode keys|date|invalid date|map|set|NaN|Infinity|negative zero|holes)$/.test(name))

  test.each(common)('builds %s in one pass, as unflatten does', (_, value) => {
    const values = JSON.parse(stringify({ value, again: value, list: [value, { value }] }))
    expect(agrees(values)).not.toBe(UNSURE)
  })

  test.each(corpus())('%s: agrees with the two passes (or leaves it to them)', (_, value) => {
    agrees(JSON.parse(stringify([value, { value }])))
  })

  test('leaves a payload with any other type to the two passes before building anything', () => {
    // One BigInt after many objects: built here up to it, then again by the two passes, it would cost twice.
    for (const tagged of ['["BigInt","1"]', '["null","a",2]', '[-7,3,0,2]', '["File",2]', `["${REFERENCE_TAG}",2]`, '["URL","http://x/"]']) {
      expect(agrees(fromJson(`[[1,3],{"a":2},"x",${tagged}]`))).toBe(UNSURE)
      expect(agrees(fromJson(`[[1],{"a":2},"x",${tagged}]`))).toBe(UNSURE) // even where nothing refers to it
    }
  })

  test('an enumerable key on Object.prototype, or one a setter of the app adds while decoding, never enters a value', () => {
    // Entries' keys are read with for…in, which would list an inherited enumerable key.
    const json = '[{"a":1,"list":2},1,[3],{"b":1}]'
    ;(Object.prototype as { polluted?: unknown }).polluted = 0
    try {
      expect(unflattenCommon(fromJson(json), DEFAULT_LIMITS)).toBe(UNSURE)
      expect(twoPasses(fromJson(json), DEFAULT_LIMITS)).toEqual({ value: { a: 1, list: [{ b: 1 }] } })
    } finally {
      delete (Object.prototype as { polluted?: unknown }).polluted
    }
    Object.defineProperty(Object.prototype, 'b', {
      set(value) {
        Object.defineProperty(this, 'b', { value, enumerable: true, writable: true, configurable: true })
        ;(Object.prototype as { polluted?: unknown }).polluted = 0
      },
      configurable: true,
    })
    try {
      expect(unflattenCommon(fromJson(json), DEFAULT_LIMITS)).toBe(UNSURE)
    } finally {
      delete (Object.prototype as { b?: unknown }).b
      delete (Object.prototype as { polluted?: unknown }).polluted
    }
    expect(agrees(fromJson(json))).toEqual({ a: 1, list: [{ b: 1 }] })
  })

  test('keeps shared references shared and cycles cyclic', () => {
    const value = unflattenCommon(fromJson('[{"a":1,"b":1,"self":0},{"x":2},"y"]'), DEFAULT_LIMITS) as Record<string, unknown>
    expect(value.a).toBe(value.b)
    expect(value.self).toBe(value)
    const map = unflattenCommon(fromJson('[["Map",0,0]]'), DEFAULT_LIMITS) as Map<unknown, unknown>
    expect(map.get(map)).toBe(map)
  })

  test.each([
    ['a __proto__ key', '[{"__proto__":1},{"polluted":2},true]'],
    ['a __proto__ key deep inside', '[[1],{"a":2},{"__proto__":3},{"polluted":4},true]'],
    ['a constructor key holding an object', '[{"constructor":1},{"prototype":2},{"polluted":3},true]'],
    ['a null-prototype object with __proto__', '[["null","__proto__",1],{"polluted":2},true]'],
    ['a server function under then', `[{"then":1},["${REFERENCE_TAG}",2],{"id":3},"abc"]`],
    ['a server function under toString', `[{"toString":1},["${REFERENCE_TAG}",2],{"id":3},"abc"]`],
    ['a server function under valueOf in a Map value', `[["Map",1,2],"k",{"valueOf":3},["${REFERENCE_TAG}",4],{"id":5},"abc"]`],
    ['valueOf and toString as plain data', '[{"valueOf":1,"toString":2,"toJSON":3},"v",4,true]'],
    ['holes', '[[-2,1,-2],"x"]'],
    ['a sparse array', '[[-7,1000000,5,1],"x"]'],
    ['a huge sparse array', '[[-7,4294967296,0,1],"x"]'],
    ['a HOLE as an object value', '[{"a":-2}]'],
    ['a SPARSE marker as a value', '[{"a":-7}]'],
    ['an unknown sentinel', '[[-99]]'],
    ['an index past the end', '[[5]]'],
    ['a fractional index', '[[0.5]]'],
    ['an index of 2^31', '[[2147483648]]'],
    ['a string index', '[{"a":"x"}]'],
    ['an object as an index', '[{"a":{"b":0}}]'],
    ['null as an index', '[[null]]'],
    ['a Map with a key and no value', '[["Map",1],"k"]'],
    ['a Date without text', '[["Date",5]]'],
    ['a Set of itself', '[["Set",0]]'],
    ['a RegExp', '[["RegExp","(a+)+$",""]]'],
    ['a BigInt of 5000 digits', `[["BigInt","${'9'.repeat(5000)}"]]`],
    ['an unknown type', '[["Function","return 1"]]'],
    ['a boxed undefined', '[["Object",-1]]'],
    ['a File without files', '[["File",1],[0,0]]'],
    ['an empty array', '[]'],
    ['a bare sentinel root', '-1'],
    ['a bad root', '-2'],
    ['an object root', '{"a":1}'],
    ['-0 as an index', '[[-0],"x"]'],
  ])('%s: agrees with the two passes, and decodeValueNow says what they say', (_, json) => {
    agrees(fromJson(json))
    const reference = twoPasses(fromJson(json), DEFAULT_LIMITS)
    let outcome: { value: unknown } | { error: string }
    try {
      outcome = { value: decodeValueNow(json, NO_FILES, options).value }
    } catch (error) {
      outcome = { error: (error as Error).message }
    }
    // (Custom types are decoded with revivers, which these two passes are not given.)
    if (!/File|ServerReference/.test(json)) expect(outcome).toEqual(reference)
    expect(Object.prototype).not.toHaveProperty('polluted')
  })

  test('leaves counts and depths over the limits to the two passes, and never recurses past maxDepth', () => {
    const limits = { ...DEFAULT_LIMITS, maxEntries: 10 }
    expect(agrees(Array.from({ length: 11 }, () => 0), limits)).toBe(UNSURE)
    // 100 000 nested arrays: refused at depth 129 without a deep recursion
    const depth = 100_000
    const deep = Array.from({ length: depth }, (_, i) => (i + 1 < depth ? [i + 1] : 0))
    expect(agrees(deep, { ...DEFAULT_LIMITS, maxEntries: depth })).toBe(UNSURE)
    // Exactly at the limit is accepted; one more level is not.
    const nested = (levels: number) => Array.from({ length: levels }, (_, i) => (i + 1 < levels ? [i + 1] : 'leaf'))
    expect(agrees(nested(128))).not.toBe(UNSURE)
    expect(agrees(nested(129))).toBe(UNSURE)
    // A value first met shallow, then again deeper than the limit: the two passes accept it, this pass
    // leaves it to them (stricter, never looser).
    const chain = Array.from({ length: 127 }, (_, k) => (k < 126 ? [3 + k] : [1]))
    const shallowThenDeep = [[1, 2], 'leaf', ...chain]
    expect(twoPasses(shallowThenDeep, DEFAULT_LIMITS)).toHaveProperty('value')
    expect(agrees(shallowThenDeep)).toBe(UNSURE)
    // Many references to one large object cost one build, not one per reference.
    const big = [Array.from({ length: 50_000 }, () => 1), { ...Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 2])) }, 'v']
    const value = agrees(big) as unknown[]
    expect(value).toHaveLength(50_000)
    expect(value[0]).toBe(value[49_999])
  })

  test('arbitrary data: what the one pass builds is what the two passes build', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        agrees(JSON.parse(stringify([value, { again: value }])))
      }),
      { numRuns: Number(process.env.CODEC_RUNS ?? 1000) },
    )
  })

  test('arbitrary flat arrays, hostile ones among them: never looser than the two passes', () => {
    const index = fc.oneof(fc.integer({ min: -8, max: 8 }), fc.constant(0.5), fc.constant('1'), fc.constant(null))
    const key = fc.constantFrom('a', 'b', '0', '__proto__', 'then', 'toString', 'valueOf', 'constructor')
    const entry = fc.oneof(
      fc.string({ maxLength: 3 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(index, { maxLength: 4 }),
      fc.array(fc.tuple(key, index), { maxLength: 3 }).map((pairs) => ({ raw: `{${pairs.map(([k, i]) => `${JSON.stringify(k)}:${JSON.stringify(i)}`).join(',')}}` })),
      fc.tuple(fc.constantFrom('Date', 'Map', 'Set', 'null', 'Object', 'BigInt', REFERENCE_TAG, 'File', 'RegExp'), fc.array(fc.oneof(index, fc.string({ maxLength: 2 })), { maxLength: 4 })).map(([tag, rest]) => [tag, ...rest]),
    )
    let built = 0
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 9 }), fc.integer({ min: 1, max: 4 }), (entries, maxDepth) => {
        const json = `[${entries.map((e) => (e !== null && typeof e === 'object' && 'raw' in e ? e.raw : JSON.stringify(e))).join(',')}]`
        if (agrees(fromJson(json), { ...DEFAULT_LIMITS, maxDepth }) !== UNSURE) built++
        expect(Object.prototype).not.toHaveProperty('0')
      }),
      { numRuns: Number(process.env.CODEC_RUNS ?? 3000) },
    )
    expect(built).toBeGreaterThan(Number(process.env.CODEC_RUNS ?? 3000) / 10) // not all left to the two passes
  })
})
