import { parse, stringify, unflatten } from 'devalue'
import { describe, expect, test } from 'vitest'
import { SPARSE } from '../../codec/devalueFormat.js'
import { readDevalue } from '../../codec/readDevalue.js'
import { encodeServerValue, primitiveEnvelopeText } from './encodeValue.js'
import { getKeyRing } from '../security/keys.js'
import { registerServerReference } from '../references/registry.js'

const ring = () => getKeyRing({ key: Buffer.alloc(32, 7).toString('base64') }, false)

describe('encodeServerValue', () => {
  test('sends an array of 200 000 items (more than a spread call takes)', async () => {
    const items = Array.from({ length: 200_000 }, (_, i) => i)
    expect(parse(await encodeServerValue({ items }, ring, null, 'result'))).toEqual({ items })
  })

  test('walks a sparse array of length 10^6 by its entries, not its holes', async () => {
    // made the way the decoder makes them from a request (`[].length = 10^6` would allocate 8 MB each)
    const many = Array.from({ length: 2_000 }, () => unflatten([[SPARSE, 1_000_000, 999_999, 1], 'last']))
    const start = performance.now()
    const text = await encodeServerValue(many, ring, null, 'result')
    expect(performance.now() - start).toBeLessThan(500)
    expect((parse(text) as unknown[][])[0]![999_999]).toBe('last')
  })

  test('still finds a bound reference among 200 000 items and seals its values', async () => {
    const fn = registerServerReference(async (owner: string) => owner, 'encode-bound', 'owned')
    const items: unknown[] = Array.from({ length: 200_000 }, (_, i) => i)
    items.push(fn.bind(null, 'alice'))
    const text = await encodeServerValue(items, ring, null, 'result')
    const reference = (parse(text, { ServerReference: (payload: unknown) => payload }) as unknown[])[200_000]
    expect(reference).toMatchObject({ id: 'encode-bound', token: expect.stringMatching(/^[\w-]{40,}$/) })
    expect(text).not.toContain('alice')
  })
})

describe('primitiveEnvelopeText', () => {
  test('reads back on the server and in the browser like devalue text, and is that text where devalue escapes nothing', () => {
    for (const value of [null, true, false, 0, 3, -1.5, 1e300, Number.MIN_VALUE, '', 'plain', 'quote " and \\', '<script>', '\u2028\u2029', 'ünïcödé 🙂']) {
      const text = primitiveEnvelopeText({ value })!
      expect(parse(text)).toEqual({ value })
      expect(readDevalue(text, {})).toEqual({ value }) // the browser's reader
      if (typeof value !== 'string') expect(text).toBe(stringify({ value }))
    }
  })

  test('leaves every other answer to devalue', () => {
    for (const value of [undefined, -0, NaN, Infinity, -Infinity, 1n, {}, [], new Date(0)]) expect(primitiveEnvelopeText({ value })).toBeUndefined()
    expect(primitiveEnvelopeText({ value: 1, revalidated: { paths: ['/'], tags: [] } })).toBeUndefined()
    expect(primitiveEnvelopeText({ error: { message: 'no', code: 'E' } })).toBeUndefined()
  })
})
