import { describe, expect, test } from 'vitest'
import type { FunctionDeclaration } from '@babel/types'
import { parseModule } from '../parse/parseModule.js'
import { findServerDirective } from './findServerDirective.js'

const inFunction = (code: string) => {
  const directives = (parseModule(code, '/a.js').program.body[0] as FunctionDeclaration).body.directives
  return findServerDirective(directives, code, '/a.js', 'function')?.value.value ?? null
}
const inModule = (code: string) => findServerDirective(parseModule(code, '/a.js').program.directives, code, '/a.js', 'module')?.value.value ?? null

describe('findServerDirective', () => {
  test("finds 'use server' anywhere in the body's prologue", () => {
    expect(inFunction("async function f() { 'use strict'; \"use server\"; return 1 }")).toBe('use server')
    expect(inModule("// actions\n'use strict'\n'use server'\nexport async function f() {}")).toBe('use server')
  })

  test('ignores the string after the prologue and other directives', () => {
    expect(inFunction("async function f() { call(); 'use server' }")).toBeNull()
    expect(inFunction("function f() { 'use client' }")).toBeNull()
    expect(inModule("import x from 'x'\n'use server'")).toBeNull()
  })

  test('throws on a misspelling, with what it would cost', () => {
    expect(() => inFunction("async function f() { 'use-server' }")).toThrow(/the function would run/)
    expect(() => inModule("'use sever'\nexport async function f() {}")).toThrow(/a module would be sent to the browser/)
  })
})
