import { describe, expect, test } from 'vitest'
import { parseModule } from '../parse/parseModule.js'
import { analyzeModule } from './analyzeModule.js'
import { collectCaptures } from './collectCaptures.js'
import { placeDeclaration } from './placeDeclaration.js'

/** `start` when the declaration named `f` gets its binding at the start of its scope, `in place` otherwise. */
function placement(code: string): 'start' | 'in place' {
  const functions = analyzeModule(parseModule(code, '/a.js'), code, '/a.js')
  const fn = functions.find((f) => f.displayName === 'f')!
  return placeDeclaration(fn, collectCaptures(functions, code, '/a.js').get(fn)!.bound) === null ? 'in place' : 'start'
}
const body = (setup: string, uses: string) => `function P(p, { q }) { ${setup}; async function f() { 'use server'; return ${uses} } }`

describe('placeDeclaration', () => {
  test('goes to the start of its scope when every bound value is final there', () => {
    expect(placement(body('', 'p + q'))).toBe('start')
    expect(placement(body('function g() {}', 'g'))).toBe('start')
    expect(placement(`function P(items) { const k = 1; for (const item of items) { async function f() { 'use server'; return [k, item] } } }`)).toBe('start')
    expect(placement(`function P() { try {} catch (e) { async function f() { 'use server'; return e } } }`)).toBe('start')
    expect(placement(`async function f() { 'use server' }`)).toBe('start')
  })

  test('stays in place when a value is created or changed in between', () => {
    expect(placement(body('const c = 1', 'c'))).toBe('in place')
    expect(placement(body('p = 2', 'p'))).toBe('in place')
    expect(placement(`function P() { let x = 1; { async function f() { 'use server'; return x } } x = 2 }`)).toBe('in place')
    expect(placement(`function P() { { async function f() { 'use server'; return x } } const x = 1 }`)).toBe('in place')
    expect(placement(`function P() { for (let i = 0; i < 2; i++) { async function f() { 'use server'; return i } } }`)).toBe('in place')
  })

  test('stays in place in a switch, where no statement can open the scope', () => {
    expect(placement(`function P(p) { switch (p) { case 1: async function f() { 'use server'; return p } } }`)).toBe('in place')
  })
})
