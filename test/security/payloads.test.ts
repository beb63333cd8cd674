import { unflatten } from 'devalue'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectRefused } from './support/expectRefused.js'
import { expectNothingLogged, expectUnharmed } from './support/expectUnharmed.js'
import { flatCall, type AddEntry } from './support/flatCall.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { rawCall, testRevivers } from './support/rawRequest.js'

// Arguments built to pollute prototypes (devalue before 5.9.3 let a `__proto__` key reach an
// object's prototype; React's Flight decoder walked `__proto__`/`constructor` paths into RCE,
// CVE-2025-55182), to exhaust the stack, CPU or memory while decoding (10^5-deep nesting, a
// 10^6-digit BigInt, sparse arrays of huge length, typed arrays of bogus length: devalue's
// sparse-array DoS, React's CVE-2025-55184/67779 loops), or to confuse references.

let app: HostileApp
beforeAll(async () => {
  app = await startHostileApp()
}, 120_000)
afterAll(() => app?.remove())

/** Sends `text` to `echo` and expects a refusal, quickly, and an unharmed server. */
async function expectEchoRefused(text: string, message: RegExp, ms = 1000) {
  const response = await rawCall(app.origin, app.ids.echo!, text)
  expectRefused(response, 400, message)
  expect(response.ms).toBeLessThan(ms)
  await expectUnharmed(app)
}

/** Sends `values` to `echo` and expects them back as data, exactly as the client decodes them. */
async function expectEchoed(values: unknown[], ms = 1000) {
  const response = await rawCall(app.origin, app.ids.echo!, JSON.stringify(values))
  expect(response.status).toBe(200)
  expect(response.envelope!.value).toEqual((unflatten(values, testRevivers) as unknown[])[0])
  expect(response.ms).toBeLessThan(ms)
  await expectUnharmed(app)
  return response.envelope!.value
}

describe('prototype-pollution keys, at every depth and in every codec type', () => {
  const KEYS = ['__proto__', 'constructor', 'prototype'] as const
  // What a pollution gadget would copy onto a prototype: `x.__proto__.polluted`, `x.constructor.prototype.polluted`.
  const gadget = (add: AddEntry) => add({ polluted: add(true), prototype: add({ polluted: add(true) }) })
  const placements: Record<string, (add: AddEntry, key: string) => number> = {
    'an object key': (add, key) => add({ [key]: gadget(add) }),
    'a null-prototype object key': (add, key) => add(['null', key, gadget(add)]),
    'a Map key': (add, key) => add(['Map', add(key), gadget(add)]),
    'a FormData field name': (add, key) => add(['FormData', add([add([add(key), add('x')])])]),
    'a key inside a client-bound value of a server function': (add, key) => add(['ServerReference', add({ id: add(app.ids.add), bound: add([add({ [key]: gadget(add) })]) })]),
  }
  const wrappers: Record<string, (add: AddEntry, inner: number) => number> = {
    object: (add, inner) => add({ a: inner }),
    array: (add, inner) => add([inner]),
    'Map value': (add, inner) => add(['Map', add('k'), inner]),
    Set: (add, inner) => add(['Set', inner]),
    'null-prototype object': (add, inner) => add(['null', 'a', inner]),
  }
  const cases = KEYS.flatMap((key) =>
    Object.entries(placements).flatMap(([placement, place]) =>
      Object.entries(wrappers).flatMap(([wrapper, wrap]) =>
        [1, 10, 100].map((depth) => ({
          name: `${key} as ${placement}, ${depth} deep in ${wrapper}s`,
          build: () =>
            flatCall((add) => {
              let index = place(add, key)
              for (let level = 0; level < depth; level++) index = wrap(add, index)
              return index
            }),
          // A `__proto__` own key can only be refused; in a Map or a FormData it is just data.
          refused: key === '__proto__' && !/Map key|FormData/.test(placement),
        })),
      ),
    ),
  )

  test.each(cases)('$name', async ({ build, refused }) => {
    const { values, text } = build()
    if (refused) await expectEchoRefused(text, /has a "__proto__" key|malformed null-prototype object/)
    else await expectEchoed(values)
  })

  test('the classic gadgets as the whole argument', async () => {
    await expectEchoRefused('[[1],{"__proto__":2},{"polluted":3},true]', /"__proto__" key/)
    const echoed = await expectEchoed([[1], { constructor: 2 }, { prototype: 3 }, { polluted: 4 }, true])
    expect(Object.getOwnPropertyNames(echoed)).toEqual(['constructor'])
  })

  test('an unreachable entry with a __proto__ key is never built', async () => {
    await expectEchoed(JSON.parse('[[1],"x",{"__proto__":1}]'))
  })

  test('Flight-style path references are plain strings here', async () => {
    await expectEchoed([[1], [2, 3, 4, 5], '$1:__proto__:constructor:constructor', '$@0', '$F1', '$B1:then'])
  })

  test.each(['Function', 'Symbol', 'Error', 'Promise', 'Temporal.Instant', '__proto__', 'constructor', 'toString', 'hasOwnProperty'])('an unknown type tag %s', async (tag) => {
    await expectEchoRefused(JSON.stringify([[1], [tag, 2], 'return process']), /unknown type/)
  })
})

describe('nesting, sizes and lengths meant to exhaust the decoder', () => {
  /** `[[1], level 1, level 2, …]`: each level holds the next; the last holds undefined (-1). */
  const chain = (depth: number, link: (next: number) => unknown) => JSON.stringify([[1], ...Array.from({ length: depth }, (_, i) => link(i + 1 < depth ? i + 2 : -1))])

  // As deep as fits in the 1 MB body and the 10^5 entries (each level is one entry).
  test.each<[string, number, (next: number) => unknown]>([
    ['arrays', 99_990, (next) => [next]],
    ['objects', 60_000, (next) => ({ a: next })],
    ['Maps', 60_000, (next) => ['Map', -1, next]],
    ['Sets', 60_000, (next) => ['Set', next]],
    ['null-prototype objects', 50_000, (next) => ['null', 'a', next]],
  ])('%s nested %i levels deep (by reference) are refused without recursing', async (_, depth, link) => {
    await expectEchoRefused(chain(depth, link), /nesting deeper than 128 levels/)
  })

  test('10^5 levels of raw JSON brackets and braces are refused without recursing', async () => {
    await expectEchoRefused(`[${'['.repeat(100_000)}${']'.repeat(100_000)}]`, /invalid reference an array/)
    await expectEchoRefused(`[[1],${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]`, /invalid reference an object/)
  })

  test('100 levels pass', async () => {
    await expectEchoed(JSON.parse(chain(100, (next) => [next])))
  })

  test('an array of 400 000 references to one value is data', async () => {
    // ~0.5 s quiet, over 1 s on a loaded machine: the budget is for what a cost per reference that grew
    // with their count (minutes for 400 000) would take, not for the machine's load.
    const value = (await expectEchoed([[1], Array(400_000).fill(2), 'x'], 5000)) as string[]
    expect(value).toHaveLength(400_000)
  })

  test('100 002 values are over the entry limit', async () => {
    await expectEchoRefused(JSON.stringify([[1], Array.from({ length: 100_000 }, (_, i) => i + 2), ...Array(100_000).fill(0)]), /100002 values exceed the limit of 100000/)
  })

  test('a 10^6-digit BigInt is refused before it is parsed', async () => {
    await expectEchoRefused(JSON.stringify([[1], ['BigInt', '9'.repeat(1_000_000)]]), /1000000 digits, over the limit of 1000/, 500)
  })

  test.each(['12a', '0x10', '1e5', '', '--1', ' 1'])('a malformed BigInt %j', async (digits) => {
    await expectEchoRefused(JSON.stringify([[1], ['BigInt', digits]]), /malformed BigInt/)
  })

  test('5 000 sparse arrays of length 10^6 decode and echo without allocating their holes', async () => {
    const values = [[1], Array.from({ length: 5_000 }, () => 2), [-7, 1_000_000, 999_999, 3], 'last']
    const value = (await expectEchoed(values, 1500)) as unknown[][]
    expect(value[4_999]).toHaveLength(1_000_000)
  })

  test.each<[string, unknown[]]>([
    ['a length over 10^6', [-7, 1_000_001]],
    ['a length of 2^32', [-7, 2 ** 32]],
    ['a negative length', [-7, -1]],
    ['a fractional length', [-7, 1.5]],
    ['a length that is an array', [-7, [1]]],
    ['an index past the length', [-7, 5, 9, 2]],
    ['a negative index', [-7, 5, -1, 2]],
    ['a fractional index', [-7, 5, 1.5, 2]],
  ])('a sparse array with %s', async (_, sparse) => {
    await expectEchoRefused(JSON.stringify([[1], sparse, 'x']), /sparse array length|could not be decoded|invalid reference/)
  })

  test('holes in a dense array stay holes', async () => {
    const value = (await expectEchoed([[1], [-2, 2, -2], 'x'])) as unknown[]
    expect(Object.keys(value)).toEqual(['1'])
  })

  test.each<[string, unknown[]]>([
    ['Uint8Array of 10^9 elements over 3 bytes', ['Uint8Array', 2, 0, 1_000_000_000]],
    ['Uint8Array starting past its buffer', ['Uint8Array', 2, 1_000, 1]],
    ['Uint8Array with a negative offset', ['Uint8Array', 2, -1, 1]],
    ['Uint8Array with a fractional length', ['Uint8Array', 2, 0, 1.5]],
    ['Float64Array at a misaligned offset', ['Float64Array', 2, 3]],
    ['BigInt64Array at a misaligned offset', ['BigInt64Array', 2, 1]],
    ['DataView longer than its buffer', ['DataView', 2, 1, 100]],
    ['Float16Array (no such constructor on this Node)', ['Float16Array', 2]],
    ['Uint8Array over a string instead of a buffer', ['Uint8Array', 3]],
    ['Uint8Array over itself', ['Uint8Array', 1]],
    ['SharedArrayBuffer', ['SharedArrayBuffer', 'AAAA']],
  ])('a typed array: %s', async (_, view) => {
    await expectEchoRefused(JSON.stringify([[1], view, ['ArrayBuffer', 'AAAA'], 'not a buffer']), /could not be decoded|malformed|unknown type/)
  })

})

describe('references to missing or cyclic slots', () => {
  test.each<[string, string, RegExp]>([
    ['past the end', '[[1]]', /points past the end/],
    ['far past the end', '[[4294967295]]', /points past the end/],
    ['an unknown negative', '[[-8]]', /invalid reference -8/],
    ['a fractional index', '[[0.5]]', /invalid reference 0.5/],
    ['a string index', '[[1],{"a":"0"}]', /invalid reference "0"/],
    ['null as an index', '[[null]]', /invalid reference null/],
    ['a root that is undefined', '-1', /arguments are not an array/],
    ['a root that is a string', '["x"]', /arguments are not an array/],
    ['an empty payload', '[]', /expected a devalue array/],
    ['an object payload', '{}', /expected a devalue array/],
    ['null', 'null', /expected a devalue array/],
    ['a boxed value that boxes itself', '[[1],["Object",1]]', /could not be decoded/],
    ['a File that is its own content', '[[1],["File",1]]', /could not be decoded/],
    ['a FormData that holds itself', '[[1],["FormData",1]]', /could not be decoded|malformed FormData/],
    ['a server reference that is its own payload', '[[1],["ServerReference",1]]', /could not be decoded|malformed server function reference/],
    ['a File whose part was never sent', '[[1],["File",2],[3,4],0,5]', /file part \$0 is missing/],
  ])('%s', async (_, text, message) => {
    await expectEchoRefused(text, message)
  })

  test('cycles through arrays, objects, Maps and Sets are data, and come back as cycles', async () => {
    const values = [[1], [2, 3, 4, 6], [2], { self: 3 }, ['Map', 5, 4], 'me', ['Set', 6]]
    const [array, object, map, set] = (await expectEchoed(values)) as [unknown[], { self: unknown }, Map<string, unknown>, Set<unknown>]
    expect(array[0]).toBe(array)
    expect(object.self).toBe(object)
    expect(map.get('me')).toBe(map)
    expect(set.has(set)).toBe(true)
  })
})

test('no hostile request made the server log an error', () => expectNothingLogged(app))
