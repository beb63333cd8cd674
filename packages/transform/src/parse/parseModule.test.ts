import { describe, expect, test } from 'vitest'
import { TransformError } from '../errors/TransformError.js'
import { parseModule, parserPluginsFor } from './parseModule.js'

describe('parserPluginsFor', () => {
  test.each([
    ['a.ts', ['typescript']],
    ['a.mts', ['typescript']],
    ['a.cts', ['typescript']],
    ['a.tsx', ['typescript', 'jsx']],
    ['a.jsx', ['jsx']],
    ['a.js', ['jsx']],
    ['a.tsx?v=abc', ['typescript', 'jsx']],
  ])('%s', (id, expected) => {
    const plugins = parserPluginsFor(id)
    for (const plugin of expected) expect(plugins).toContain(plugin)
    if (!expected.includes('typescript')) expect(plugins).not.toContain('typescript')
    if (!expected.includes('jsx')) expect(plugins).not.toContain('jsx')
  })
})

describe('parseModule', () => {
  test('TypeScript generics in a .ts file are not JSX', () => {
    expect(() => parseModule('const f = <T,>(x: T) => x; const y = <string>f("a")', 'a.ts')).not.toThrow()
  })

  test('accepts legacy (parameter) and standard (`export @dec class`) decorators in TypeScript', () => {
    expect(() => parseModule('class A { m(@inject x: string) {} }', 'a.ts')).not.toThrow()
    expect(() => parseModule('export @dec class A {}', 'a.ts')).not.toThrow()
  })

  test('a syntax error becomes a TransformError with location and frame', () => {
    let error: unknown
    try {
      parseModule("'use server'\nexport const = 1", '/app/broken.ts')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TransformError)
    const e = error as TransformError
    expect(e.code).toBe('PARSE_ERROR')
    expect(e.loc).toEqual({ file: '/app/broken.ts', line: 2, column: 13 })
    expect(e.message).not.toMatch(/\(\d+:\d+\)$/)
    expect(e.frame).toContain('> 2 | export const = 1')
  })

  test('code nested deeper than Babel can follow is a PARSE_ERROR at its deepest point, not a bare RangeError', () => {
    const deep = '(() => '.repeat(3000) + '1' + ')'.repeat(3000)
    const code = `'use server'\nexport async function f() {\n  return ${deep}\n}\n`
    let error: unknown
    try {
      parseModule(code, '/app/deep.ts')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TransformError)
    const e = error as TransformError
    expect(e.code).toBe('PARSE_ERROR')
    expect(e.message).toMatch(/nests deeper than the parser can follow/)
    expect(e.loc).toEqual({ file: '/app/deep.ts', line: 3, column: 9 + 7 * (3000 - 1) + 1 })
    expect(e.frame).toContain('> 3 |')
  })
})
