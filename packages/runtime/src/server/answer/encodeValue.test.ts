import { parse, stringify, unflatten } from 'devalue'
import { describe, expect, test } from 'vitest'
import { SPARSE } from '../../codec/devalueFormat.js'
import { readDevalue } from '../../codec/readDevalue.js'
import { encodeServerValue, primitiveEnvelopeText } from './encodeValue.js'
import { openBoundValues } from '../security/boundToken.js'
import { getKeyRing } from '../security/keys.js'
import { registerServerReference } from '../references/registry.js'

const ring = () => getKeyRing({ key: Buffer.alloc(32, 7).toString('base64') }, false)

describe('encodeServerValue', () => {
  test('sends an array of 200 000 items (more than a spread call takes)', async () => {
    const items = Array.from({ length: 200_000 }, (_, i) => i)
    expect(parse(await encodeServerValue({ items }, ring, null, 'result', undefined, false))).toEqual({ items })
  })

  test('walks a sparse array of length 10^6 by its entries, not its holes', async () => {
    // made the way the decoder makes them from a request (`[].length = 10^6` would allocate 8 MB each)
    const many = Array.from({ length: 2_000 }, () => unflatten([[SPARSE, 1_000_000, 999_999, 1], 'last']))
    const start = performance.now()
    const text = await encodeServerValue(many, ring, null, 'result', undefined, false)
    expect(performance.now() - start).toBeLessThan(500)
    expect((parse(text) as unknown[][])[0]![999_999]).toBe('last')
  })

  test('still finds a bound reference among 200 000 items and seals its values', async () => {
    const fn = registerServerReference(async (owner: string) => owner, 'encode-bound', 'owned')
    const items: unknown[] = Array.from({ length: 200_000 }, (_, i) => i)
    items.push(fn.bind(null, 'alice'))
    const text = await encodeServerValue(items, ring, null, 'result', undefined, false)
    const reference = (parse(text, { ServerReference: (payload: unknown) => payload }) as unknown[])[200_000]
    expect(reference).toMatchObject({ id: 'encode-bound', token: expect.stringMatching(/^[\w-]{40,}$/) })
    expect(text).not.toContain('alice')
  })

  // A value is written once to find the references to seal, then again with their tokens: a getter
  // that binds on each read (`get remove() { return remove.bind(null, id) }`) gave the second
  // writing a function the first never saw, and it went out without its token, silently.
  describe('bound references a getter makes anew on each read', () => {
    const fn = registerServerReference(async (owner: string) => owner, 'encode-getter', 'owned')
    const referenceIn = (text: string, path: (value: any) => unknown) => path(parse(text, { ServerReference: (payload: unknown) => payload })) as { id: string; token?: string }

    test.each([
      ['alone', {}],
      ['beside a value the writer hands to devalue (read three times)', { link: new URL('https://a.test/') }],
    ])('get their token when the bound values are the same each time (%s)', async (_, extra) => {
      const value = { ...extra, get remove() { return fn.bind(null, 'alice') } } // eslint-disable-line
      const reference = referenceIn(await encodeServerValue(value, ring, null, 'result', undefined, false), (v) => v.remove)
      expect(await openBoundValues(await ring(), 'encode-getter', reference.token!)).toBe(stringify(['alice']))
    })

    test('are refused, with the reason, when the bound values differ from one read to the next', async () => {
      let reads = 0
      const value = { get remove() { return fn.bind(null, `caller ${++reads}`) } } // eslint-disable-line
      await expect(encodeServerValue(value, ring, null, 'result', undefined, false)).rejects.toThrow(/changed while it was written: .*Return the same function/)
    })
  })

  test('a File met twice, beside a bound reference and a value the writer hands to devalue, is one part', async () => {
    const file = new File(['hello'], 'a.txt')
    const files: Blob[] = []
    const value = { file, again: [file], link: new URL('https://a.test/'), save: registerServerReference(async (a: string) => a, 'encode-file', 'save').bind(null, 'x') }
    const text = await encodeServerValue(value, ring, files, 'result', undefined, false)
    expect(files).toEqual([file])
    expect(parse(text, { File: ([index]: number[]) => files[index!], ServerReference: () => 'ref' })).toMatchObject({ file, again: [file] })
  })
})

describe('symbol keys: refused in development, left out in production', () => {
  const tag = Symbol('tag')
  const withSymbols = () => {
    const shared = { [tag]: 'internal', id: 1 }
    return { rows: [shared, { shared, [Symbol.for('meta')]: { secret: true }, name: 'a' }], empty: { [tag]: 1 } }
  }

  test('development refuses with devalue\'s words and where the object is', () => {
    expect(() => encodeServerValue(withSymbols(), ring, null, 'result', (path) => `result${path}`, true)).toThrow(
      /Cannot send POJOs with symbolic keys at result\.rows\[0\]/,
    )
  })

  test('production writes the objects without them, the rest of the graph (sharing included) as it is', async () => {
    const text = await encodeServerValue(withSymbols(), ring, null, 'result', undefined, false)
    expect(text).not.toContain('internal')
    expect(text).not.toContain('secret')
    const value = parse(text) as { rows: [object, { shared: object }]; empty: object }
    expect(value).toEqual({ rows: [{ id: 1 }, { shared: { id: 1 }, name: 'a' }], empty: {} })
    expect(value.rows[1].shared).toBe(value.rows[0])
  })

  test('production leaves them out where the writer hands the value to devalue too (a URL beside them)', async () => {
    const value = { ...withSymbols(), link: new URL('https://a.test/') }
    const text = await encodeServerValue(value, ring, null, 'result', undefined, false)
    expect(parse(text)).toEqual({ rows: [{ id: 1 }, { shared: { id: 1 }, name: 'a' }], empty: {}, link: new URL('https://a.test/') })
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
