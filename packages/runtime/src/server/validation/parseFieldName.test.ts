import { describe, expect, test } from 'vitest'
import { APPEND, parseFieldName, TOO_DEEP } from './parseFieldName.js'

const parse = (name: string, maxDepth = 32) => parseFieldName(name, maxDepth)

describe('parseFieldName', () => {
  test('keys, indices, bracketed keys and a final []', () => {
    expect(parse('title')).toEqual(['title'])
    expect(parse('address.city')).toEqual(['address', 'city'])
    expect(parse('tags[0]')).toEqual(['tags', 0])
    expect(parse('rows[12].cells[3].text')).toEqual(['rows', 12, 'cells', 3, 'text'])
    expect(parse('user[name]')).toEqual(['user', 'name'])
    expect(parse('labels[en.US]')).toEqual(['labels', 'en.US'])
    expect(parse('tags[]')).toEqual(['tags', APPEND])
    expect(parse('a.0')).toEqual(['a', '0']) // a dotted number is a key; only brackets index
    expect(parse('a[b][c]')).toEqual(['a', 'b', 'c'])
  })

  test('an index is a plain decimal number of at most 15 digits; anything else in brackets is a key', () => {
    expect(parse('a[007]')).toEqual(['a', '007'])
    expect(parse('a[-1]')).toEqual(['a', '-1'])
    expect(parse('a[1e3]')).toEqual(['a', '1e3'])
    expect(parse('a[999999999999999]')).toEqual(['a', 999999999999999])
    expect(parse('a[9999999999999999]')).toEqual(['a', '9999999999999999'])
  })

  test('names that break the rules are one key, as written (null)', () => {
    for (const name of ['[]', '[0]', '.', '..', 'a..b', 'a.', '.a', 'a[', 'a]', 'a[]b', 'a[].b', 'a[][]', 'a[b[c]]', ']]', '[[', '[.]', 'a[0]x']) {
      expect(parse(name), name).toBeNull()
    }
  })

  test('past maxDepth segments it stops reading', () => {
    expect(parse('a.b.c', 3)).toEqual(['a', 'b', 'c'])
    expect(parse('a.b.c.d', 3)).toBe(TOO_DEEP)
    expect(parse('a' + '[0]'.repeat(200_000), 32)).toBe(TOO_DEEP)
  })
})
