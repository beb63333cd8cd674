import { describe, expect, test } from 'vitest'
import type { TransformError } from '../errors/TransformError.js'
import { transformServerFunctions } from '../transformServerFunctions.js'

function compile(code: string): string | null {
  try {
    transformServerFunctions(code, '/app/a.js', { target: 'server' })
    return null
  } catch (error) {
    return (error as TransformError).code
  }
}

describe('checkBoundValuesExist', () => {
  test('rejects a capture declared below the site, or the value the site is part of', () => {
    expect(compile(`function P() { const f = async () => { 'use server'; return later }; const later = 1 }`)).toBe('INLINE_CAPTURES_UNINITIALIZED')
    expect(compile(`function P() { const a = { async save() { 'use server'; return a.name }, name: 'x' } }`)).toBe('INLINE_CAPTURES_UNINITIALIZED')
    expect(compile(`function P() { const f = async () => { 'use server'; return v }; var v = 1 }`)).toBe('INLINE_CAPTURES_UNINITIALIZED')
    expect(compile(`function P() { const C = class { static m = async () => { 'use server'; return C } } }`)).toBe('INLINE_CAPTURES_UNINITIALIZED')
  })

  test('accepts what exists at the site, and sites that run later', () => {
    expect(compile(`function P(p) { const before = 1; return async () => { 'use server'; return [p, before, g] }; function g() {} }`)).toBeNull()
    expect(compile(`function P() { const h = () => async () => { 'use server'; return later }; const later = 1; return h }`)).toBeNull()
    expect(compile(`function P() { class C { static m = async () => { 'use server'; return C } } }`)).toBeNull()
    // a declaration is bound in place when its values come later than its scope's start
    expect(compile(`function P() { const x = 1; async function f() { 'use server'; return x } }`)).toBeNull()
  })
})
