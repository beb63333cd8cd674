import { describe, expect, test } from 'vitest'
import { mayHaveInlineDirective, mayUseServer } from './mayUseServer.js'

describe('mayUseServer', () => {
  test.each([
    "'use server'\nexport async function f() {}",
    "function f() { 'use server' }",
    "function f() { 'use sever' }",
    'function f() { "useServer" }',
    "function f() { 'Use Server'; }",
    "function f() { 'us server' }",
    "\"use-server\"\nexport const x = 1",
  ])('%j may', (code) => expect(mayUseServer(code)).toBe(true))

  test.each([
    "'use strict'\nexport const x = 1",
    "'use client'\nexport const x = 1",
    "import 'server-only'\nconst service = 'user-service'",
    'export function useServerState() {}',
  ])('%j may not', (code) => expect(mayUseServer(code)).toBe(false))
})

describe('mayHaveInlineDirective', () => {
  test('looks past the module directive only', () => {
    const code = "'use server'\nexport async function f() {}"
    expect(mayHaveInlineDirective(code, 12)).toBe(false)
    expect(mayHaveInlineDirective(code + "\nfunction g() { 'use server' }", 12)).toBe(true)
    expect(mayHaveInlineDirective(code + "\nfunction g() { 'use sever' }", 12)).toBe(true)
  })
})
