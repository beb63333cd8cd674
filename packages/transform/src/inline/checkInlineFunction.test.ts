import { describe, expect, test } from 'vitest'
import type { TransformError } from '../errors/TransformError.js'
import { parseModule } from '../parse/parseModule.js'
import { analyzeModule } from './analyzeModule.js'
import { checkInlineFunction } from './checkInlineFunction.js'

function check(code: string): string | null {
  const [fn] = analyzeModule(parseModule(code, '/a.ts'), code, '/a.ts')
  try {
    checkInlineFunction(fn!, code, '/a.ts')
    return null
  } catch (error) {
    return (error as TransformError).code
  }
}

describe('checkInlineFunction', () => {
  test.each([
    ['async function f() {}', null],
    ['class A { static async f() {} }', null],
    ['({ async *f() {} })', null],
    ['function f() {}', 'INLINE_NOT_ASYNC'],
    ['class A { async f() {} }', 'INLINE_UNSUPPORTED_METHOD'],
    ['class A { static get f() {} }', 'INLINE_UNSUPPORTED_METHOD'],
    ['class A { static async #f() {} }', 'INLINE_UNSUPPORTED_METHOD'],
    ['class A { constructor() {} }', 'INLINE_UNSUPPORTED_METHOD'],
    ['async function f() { this }', 'INLINE_USES_THIS'],
    ['async function f() { arguments }', 'INLINE_USES_ARGUMENTS'],
    ['class A { static async f() { super.f() } }', 'INLINE_USES_SUPER'],
  ])('%s: %s', (source, expected) => {
    // put the directive at the start of the first body
    expect(check(source.replace(/\) \{/, ") { 'use server';"))).toBe(expected)
  })
})
