import { describe, expect, test } from 'vitest'
import { countLineBreaks, expectToken, findTokenAfter, skipTrivia } from './sourceTokens.js'

describe('source tokens', () => {
  test('skipTrivia passes whitespace, line and block comments', () => {
    const code = ' \t\n// line\n/* block\n */ x'
    expect(skipTrivia(code, 0)).toBe(code.indexOf('x'))
    expect(skipTrivia('x', 0)).toBe(0)
    expect(skipTrivia('  /* unterminated', 0)).toBe(17)
  })

  test('expectToken finds the next token or explains what it found', () => {
    expect(expectToken('async /* c */ (a)', 5, '(')).toBe(14)
    expect(() => expectToken('async x', 5, '(')).toThrow(/expected "\(" at offset 6, found "x"/)
  })

  test('findTokenAfter passes the listed punctuation first', () => {
    const code = 'async (a, b, ) /* => */ => {}'
    expect(findTokenAfter(code, code.indexOf('b') + 1, '=>', ',)')).toBe(code.lastIndexOf('=>'))
  })

  test('countLineBreaks counts \\r\\n once', () => {
    expect(countLineBreaks('a\nb\r\nc\rd', 0, 8)).toBe(3)
    expect(countLineBreaks('a\nb', 2, 3)).toBe(0)
  })
})
