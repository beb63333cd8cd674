import { describe, expect, test } from 'vitest'
import type { FunctionDeclaration } from '@babel/types'
import { parseModule } from '../parse/parseModule.js'
import { findFunctionDirective } from './findFunctionDirective.js'

const directives = (code: string) => (parseModule(code, '/a.js').program.body[0] as FunctionDeclaration).body.directives
const find = (code: string) => findFunctionDirective(directives(code), code, '/a.js')?.value.value ?? null

describe('findFunctionDirective', () => {
  test("finds 'use server' anywhere in the body's prologue", () => {
    expect(find("async function f() { 'use strict'; \"use server\"; return 1 }")).toBe('use server')
  })

  test('ignores the string after the prologue and other directives', () => {
    expect(find("async function f() { call(); 'use server' }")).toBeNull()
    expect(find("function f() { 'use client' }")).toBeNull()
  })

  test('throws on a misspelling, with what it would cost', () => {
    expect(() => find("async function f() { 'use-server' }")).toThrow(/the function would run/)
  })
})
