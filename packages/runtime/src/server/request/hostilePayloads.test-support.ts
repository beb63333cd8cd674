import fc from 'fast-check'

// Hostile devalue texts made of the types the one-pass decode builds (objects, arrays with holes,
// primitives, Date, Map, Set), with some of other types among them: indices out of range, negative,
// fractional, huge, strings; hostile and duplicated keys; -0; Dates of bad text; Maps of odd length;
// chains of arrays around the depth limit. Written as JSON text, so duplicated keys and -0 survive.

export const MAX_ENTRIES = 10
const weird = [-0, 0.5, 1.5, -1.5, -8, -99, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53, 1e308, '0', '-1', null, true, false, [0], {}]
export const index = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 4 }) }, // mostly in range, so that graphs get built
  { weight: 2, arbitrary: fc.integer({ min: 0, max: MAX_ENTRIES + 1 }) },
  { weight: 3, arbitrary: fc.integer({ min: -7, max: -1 }) },
  { weight: 1, arbitrary: fc.constantFrom(...weird) },
)
const key = fc.constantFrom('a', 'b', '0', '1', '01', '-1', '4294967294', '4294967295', 'length', '__proto__', 'constructor', 'prototype', 'then', 'toString', 'valueOf', 'toJSON', 'hasOwnProperty', '')
const text = fc.constantFrom('x', '', 'true', 'false', '__proto__', '</script>', '\u2028', '\ud800', 'Date', 'Map')
const isoText = fc.constantFrom('2020-01-01T00:00:00.000Z', '', 'x', '0', '+275760-09-13T00:00:00.000Z', '+275760-09-13T00:00:00.001Z', '-271821-04-20T00:00:00.000Z', '2020-02-30')
/** Each entry as JSON text, so that duplicated keys and -0 survive to JSON.parse. */
export const entry: fc.Arbitrary<string> = fc.oneof(
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
export function json(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(json).join(',')}]` : Object.is(value, -0) ? '-0' : JSON.stringify(value)
}

/** A payload (a whole devalue text): its entries, and sometimes a chain of arrays around the limit of depth in front of them. */
export const payload = fc
  .tuple(fc.array(entry, { minLength: 1, maxLength: MAX_ENTRIES }), fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined, freq: 4 }))
  .map(([entries, chain]) => {
    if (chain === undefined) return `[${entries.join(',')}]`
    // [[1],[2],…,[chain]] then the entries, whose indices now point `chain` entries earlier than they did.
    const links = Array.from({ length: chain }, (_, i) => `[${i + 1}]`)
    return `[${[...links, ...entries].join(',')}]`
  })

/** A call's payload as its entries: the root an array of arguments (of hostile indices too), then the entries. */
export const callEntries = fc.tuple(fc.array(index, { maxLength: 4 }), fc.array(entry, { maxLength: MAX_ENTRIES - 1 })).map(([root, rest]) => [json(root), ...rest])
