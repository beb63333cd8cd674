import { describe, expect, test } from 'vitest'
import { REFERENCE_TAG } from '../../codec/devalueFormat.js'
import { DEFAULT_LIMITS, PayloadError, validatePayload } from './validatePayload.js'

const tags = new Set(['File', 'Blob', 'FormData', REFERENCE_TAG])
const check = (values: unknown, limits = DEFAULT_LIMITS) => () => validatePayload(values, tags, limits)

describe('validatePayload', () => {
  test('accepts what devalue writes', () => {
    expect(check([[1, 2], { a: 3 }, ['Date', '2020-01-01T00:00:00.000Z'], 'x'])).not.toThrow()
    expect(check(-1)).not.toThrow()
    expect(check([['Map', 1, 2], 'k', ['Set', 3], ['BigInt', '-123']])).not.toThrow()
    expect(check([[-7, 10, 3, 1], 'x'])).not.toThrow()
    expect(check([['Uint8Array', 1, 0, 2], ['ArrayBuffer', 'AQI=']])).not.toThrow()
    expect(check([{ self: 0 }])).not.toThrow() // a cycle is fine
  })

  test.each([
    ['not an array', { a: 1 }, /devalue array/],
    ['an empty array', [], /devalue array/],
    ['a bad root sentinel', -2, /invalid root/],
    ['an index past the end', [[5]], /past the end/],
    ['a fractional index', [[0.5]], /invalid reference/],
    ['an unknown sentinel', [[-99]], /invalid reference/],
    ['a string index', [{ a: 'x' }], /invalid reference/],
    ['a __proto__ key', [JSON.parse('{"__proto__":1}'), 2], /__proto__/],
    ['a __proto__ key in a null object', [['null', '__proto__', 1], 2], /null-prototype/],
    ['an unknown type', [['Function', 'return 1']], /unknown type/],
    ['a malformed BigInt', [['BigInt', '12a']], /malformed BigInt/],
    ['a huge BigInt', [['BigInt', '9'.repeat(5000)]], /5000 digits/],
    ['a huge sparse array', [[-7, 2 ** 32, 0, 1], 1], /sparse array length/],
    ['a malformed typed array', [['Uint8Array', 1, -1, 2], ['ArrayBuffer', '']], /malformed Uint8Array/],
    ['a Date without text', [['Date', 5]], /Date without/],
    ['a then property holding a server function', [{ then: 1 }, [REFERENCE_TAG, 2], { id: 3 }, 'abc'], /"then"/],
    ['a then property holding a server function in a null object', [['null', 'then', 1], [REFERENCE_TAG, 2], { id: 3 }, 'abc'], /"then"/],
    ...['toString', 'valueOf', 'toJSON', 'toLocaleString', 'constructor'].map((key): [string, unknown, RegExp] => [
      `a server function under ${key}`,
      [{ [key]: 1 }, [REFERENCE_TAG, 2], { id: 3 }, 'abc'],
      new RegExp(`"${key}" property, which the language calls on its own`),
    ]),
    ['a RegExp (unless allowed)', [['RegExp', '(a+)+$', '']], /RegExp values are refused/],
    ['two sparse arrays over the total length', [[1, 2], [-7, 600_000], [-7, 600_000]], /total length 600000 \+ 600000 is over the limit of 1000000/],
    [
      'more server functions than the limit',
      [Array.from({ length: 101 }, (_, i) => i + 1), ...Array.from({ length: 101 }, () => [REFERENCE_TAG, 102]), { id: 103 }, 'abc'],
      /more than 100 server functions/,
    ],
  ])('refuses %s', (_, values, message) => {
    expect(check(values)).toThrow(PayloadError)
    expect(check(values)).toThrow(message)
  })

  test('refuses nesting deeper than the limit without recursing', () => {
    const depth = 100_000
    const values = Array.from({ length: depth }, (_, i) => (i + 1 < depth ? [i + 1] : 0))
    expect(check(values, { ...DEFAULT_LIMITS, maxEntries: depth })).toThrow(/nesting deeper than 128/)
  })

  test('describes a hostile value in its message without serializing it', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000))
    expect(check([[deep]])).toThrow('invalid reference an array')
    expect(check([{ a: { b: deep } }])).toThrow('invalid reference an object')
    expect(check([[-7, deep]])).toThrow('sparse array length an array')
    let message = ''
    try {
      check([{ a: 'x'.repeat(1_000_000) }])()
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toBe(`invalid reference "${'x'.repeat(40)}…"`)
  })

  test('a RegExp passes when allowed; one sparse array referenced many times counts once', () => {
    expect(check([['RegExp', 'a+', 'g']], { ...DEFAULT_LIMITS, allowRegExp: true })).not.toThrow()
    expect(check([[1, 1, 1], [-7, 1_000_000]])).not.toThrow()
  })

  test('refuses more entries than the limit', () => {
    expect(check(Array.from({ length: 11 }, () => 0), { ...DEFAULT_LIMITS, maxEntries: 10 })).toThrow(/11 values exceed the limit of 10/)
  })
})
