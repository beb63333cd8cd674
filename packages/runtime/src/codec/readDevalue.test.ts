import { stringify } from 'devalue'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { anyValue, corpus } from './codecCorpus.test-support.js'
import { readDevalue } from './readDevalue.js'

describe('readDevalue', () => {
  test.each(corpus())('reads what devalue writes: %s', (_, value) => {
    expect(readDevalue(stringify(value), {})).toStrictEqual(value)
  })

  test('reads arbitrary data written by devalue', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(readDevalue(stringify(value), {})).toStrictEqual(value)
      }),
      { numRuns: Number(process.env.CODEC_RUNS ?? 500) },
    )
  })

  test('custom types come back through revivers', () => {
    const text = stringify({ when: { special: 1 } }, { Special: (v: unknown) => (v as { special?: number })?.special === 1 && 'payload' })
    expect(readDevalue(text, { Special: (payload: string) => `revived ${payload}` })).toEqual({ when: 'revived payload' })
  })

  test.each(['', '{}', '[]', '[{"a":9}]', '["x",1', '-99', '[["Nope",0]]'])('malformed input %j throws', (text) => {
    expect(() => readDevalue(text, {})).toThrow()
  })

  test('a __proto__ key cannot change a prototype', () => {
    const value = readDevalue('[{"__proto__":1,"a":2},{"polluted":true},3]', {}) as object
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
