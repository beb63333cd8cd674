import { expect, test } from 'vitest'
import { deepestNesting } from './deepestNesting.js'

test('points at the most deeply nested bracket, the first one at that depth', () => {
  const code = 'f(a, [b, {c: (d)}], (e))'
  expect(code[deepestNesting(code)]).toBe('(')
  expect(deepestNesting(code)).toBe(code.indexOf('(d)'))
})

test('brackets in comments and quoted strings do not count', () => {
  const code = 'g("((((", \'[[[[\', /* {{{{ */ h(x)) // ((((\n'
  expect(deepestNesting(code)).toBe(code.indexOf('(x)'))
})

test('unbalanced or empty code gives an offset inside it', () => {
  expect(deepestNesting('')).toBe(0)
  expect(deepestNesting(')))(')).toBe(3)
  expect(deepestNesting('"unclosed\n(')).toBe(10)
})
