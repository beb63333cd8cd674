import fc from 'fast-check'
import { parseAst, parseSync } from 'vite'
import { describe, expect, test } from 'vitest'
import { compileOutcome, transformFixtures } from '../transformFixtures.test-support.js'
import type { EstreeParse, ModuleRecordParse, TransformOptions, TransformTarget } from '../types.js'
import { readModuleRecord } from './readModuleRecord.js'

// Client stubs and server registrations made from the native parser's export list must be exactly
// those of the full reading (code, map, functions, warnings), and every module the list cannot vouch
// for must take the full reading, whose errors are then the answer.

const parseModuleRecord = parseSync as unknown as ModuleRecordParse
const parseEstree = parseAst as unknown as EstreeParse

function outcome(code: string, id: string, options: Partial<TransformOptions>, target: TransformTarget, withRecord: boolean) {
  return compileOutcome(code, id, { ...options, parseEstree, ...(withRecord && { parseModuleRecord }) }, target)
}

/** Both targets come out the same with and without the module record. */
function expectSameBothWays(code: string, id: string, options: Partial<TransformOptions> = {}) {
  for (const target of ['client', 'server'] as const) expect(outcome(code, id, options, target, true), target).toEqual(outcome(code, id, options, target, false))
}

const fixtures = transformFixtures

const read = (code: string, id = '/app/actions.ts') => readModuleRecord(code, id, parseModuleRecord)
const names = (code: string, id?: string) => read(code, id)?.exports.map((e) => e.exportName) ?? null

describe('readModuleRecord', () => {
  test.each(fixtures.map((f) => [f.name, f] as const))('%s: the same output as the full reading', (_, { id, code, options }) => {
    expectSameBothWays(code, id, options)
  })

  test('takes the plain fixtures, and none whose client output is an error', () => {
    const taken = fixtures.filter(({ id, code }) => read(code, id) !== null)
    expect(taken.length).toBeGreaterThan(15)
    for (const { name, id, code, options } of taken) expect(outcome(code, id, options, 'client', false).error, name).toBeUndefined()
  })

  test.each([
    ['async functions, arrows, a generator and a default', "'use server'\nexport async function a() {}\nexport const b = async (x: number) => x\nexport let c = async y => y\nexport async function* d() {}\nexport default async function () {}\n", ['a', 'b', 'c', 'd', 'default']],
    ['re-exports by name, string names among them', "'use server'\nexport { a, b as 'save-post' } from './m'\nexport { type T } from './t'\nexport { 'x y' as z, default as d } from \"./n\";\n", ['a', 'save-post', 'z', 'd']],
    ['types, interfaces and ambient declarations, which emit nothing', "'use server'\nexport type T = 1\nexport interface I {}\nexport declare const x: number\nexport declare function g(): void\nexport type { U } from './u'\nexport async function f() {}\n", ['f']],
    ['"use server" in comments and strings, and export-like text inside them', "// 'use client'\n/* x */ 'use server';\nconst s = \"export async function fake() {}\"\n/* export const ghost = async () => 1 */\nexport async function real() { return `export const t = async () => ${s}` }\n", ['real']],
    ['a directive after use strict, and a hashbang', "#!/usr/bin/env node\n'use strict'\n'use server'\nexport async function f() {}\n", ['f']],
    ["braces in an arrow's parameters (left to the full reading)", "'use server'\nexport async function f<T extends { a: string }>(x: T): Promise<T> { return x }\nexport const g = async (a: Array<{ b: number }>['length'], c?: string) => a\n", null],
    ['arrows with return types', "'use server'\nexport const a = async (id: number): Promise<number> => id\nexport const b = async (): Promise<Post[] | null> => null\n", ['a', 'b']],
    ['destructured parameters, object types, defaults and comparisons', "'use server'\nexport async function f({ id }: { id: number }, limit = 10 > 2 ? 1 : 0): Promise<{ ok: boolean }> { return { ok: true } }\nexport const g = async ({ a }: Input, [b]: [number]): Promise<Array<{ c: 1 }>> => a\nexport async function h(): { a: 1 } { return { a: 1 } }\n", ['f', 'g', 'h']],
    ['generics in a function', "'use server'\nexport async function f<T>(x: T): Promise<T> { return x }\n", ['f']],
  ])('reads %s', (_, code, expected) => {
    expect(names(code)).toEqual(expected)
    expectSameBothWays(code, '/app/actions.ts')
  })

  test('marks async generators, and places each export where the full reading does', () => {
    const code = "'use server'\r\n// ünïcødé 🙂\u2028export const f = async () => 1\rexport async function* g() {}\nexport async function*h() {}\n"
    expect(read(code)?.exports.map(({ exportName, loc, streams }) => ({ exportName, loc, streams }))).toEqual([
      { exportName: 'f', loc: { line: 3, column: 13 }, streams: false },
      { exportName: 'g', loc: { line: 4, column: 7 }, streams: true },
      { exportName: 'h', loc: { line: 5, column: 7 }, streams: true },
    ])
    expectSameBothWays(code, '/app/a.ts')
  })

  // Each must take the full reading: an error there, or something only an AST can tell.
  test.each([
    ['no directive', 'export async function f() {}'],
    ['a directive after code', "import x from 'x'\n'use server'\nexport async function f() {}"],
    ['a string that goes on as an expression', "'use server'.length\nexport async function f() {}"],
    ['a string called on the next line', "'use server'\n(f)\nexport async function f() {}"],
    ['a string continued by a word operator', "'use server'\nin x\nexport async function f() {}"],
    ['an escape in the directive', "'use\\x20server'\nexport async function f() {}"],
    ['use client beside it', "'use server'\n'use client'\nexport async function f() {}"],
    ['a misspelled second directive', "'use server'\n'use sever'\nexport async function f() {}"],
    ['a syntax error in a body', "'use server'\nexport async function f() { let = ; }"],
    ['a function that is not async', "'use server'\nexport function f() {}"],
    ['a constant', "'use server'\nexport const f = 1"],
    ['an async function expression, which may go on as an operand', "'use server'\nexport const f = async function () {} + 1"],
    ['a call of something named async', "'use server'\nexport const f = async (x) + 1"],
    ['a typed binding', "'use server'\nexport const f: Handler = async () => 1"],
    ['two declarators', "'use server'\nexport const f = async () => 1, g = 2"],
    ['a destructured export', "'use server'\nexport const { a } = obj"],
    ['a local export list (the values must be checked)', "'use server'\nconst a = 1\nexport { a }"],
    ['export *', "'use server'\nexport * from './m'"],
    ['export * as', "'use server'\nexport * as ns from './m'"],
    ['export =', "'use server'\nexport = f"],
    ['export = behind a comment', "'use server'\nexport async function g() {}\nexport /* x */ = g"],
    ['export import', "'use server'\nexport import a = b.c"],
    ['a class', "'use server'\nexport class C {}"],
    ['an ambient class', "'use server'\nexport declare class C {}"],
    ['an enum', "'use server'\nexport enum E { A }"],
    ['a namespace', "'use server'\nexport namespace N { export const a = 1 }"],
    ['a decorated class', "'use server'\n@dec export class C {}"],
    ['a default expression', "'use server'\nexport default 1"],
    ['a default identifier', "'use server'\nconst f = async () => 1\nexport default f"],
    ['an overload signature and its body', "'use server'\nexport async function f(a: string): Promise<void>\nexport async function f(a: unknown) {}"],
    ['a duplicate default', "'use server'\nexport { default, x as default } from './m'"],
    ['a parameter list with a string default', "'use server'\nexport const f = async (a = ')') => a"],
    ['an arrow whose return type is a function type', "'use server'\nexport const f = async (): Promise<() => void> => () => {}"],
    ['an overload signature alone, whose return type ends in braces', "'use server'\nexport async function f(): { a: 1 }\n"],
    ['an overload signature alone, a union ending in braces', "'use server'\nexport async function f(): Foo | { a: 1 }\nexport async function g() {}"],
    ['a type parameter with a default', "'use server'\nexport async function f<T = string>(x: T) { return x }"],
    // A hashbang ends at any line break: what follows `\r` or U+2028 is code, not part of it.
    ['code after a hashbang ended by \\r', "#!/usr/bin/env node\rconst a = 1\n'use server'\nexport async function f() {}"],
    ['use client after a hashbang ended by U+2028', "#!/usr/bin/env node\u2028'use client'\n'use server'\nexport async function f() {}"],
    ['a comment in the parameter list', "'use server'\nexport const f = async (a /* ) */) => a"],
  ])('leaves %s to the full reading', (_, code) => {
    expect(read(code)).toBeNull()
    expectSameBothWays(code, '/app/a.ts')
  })

  test('hostile text costs time in proportion to its length', () => {
    const spaces = ' '.repeat(200_000)
    const comments = `/* ${'export '.repeat(40_000)}*/`
    const started = performance.now()
    expect(read(`'use server'\nexport async${spaces}function f() {}\n`)).toBeNull() // a head too long to read: the full reading
    expect(names(`'use server'\nexport async function f() {}\n${comments}\nexport const g = async () => 1\n`)).toEqual(['f', 'g'])
    expect(performance.now() - started).toBeLessThan(2_000) // quadratic work would take minutes
  })

  test('a parser that throws leaves the module to the full reading', () => {
    const throwing: ModuleRecordParse = () => {
      throw new Error('native parser unavailable')
    }
    expect(readModuleRecord("'use server'\nexport async function f() {}", '/app/a.ts', throwing)).toBeNull()
  })

  test('a JavaScript module with JSX and a query in its id', () => {
    const code = "'use server'\nexport async function f() { return <p>it's {'}'}</p> }\nexport const g = async () => 1\n"
    expect(names(code, '/app/a.jsx?v=1')).toEqual(['f', 'g'])
    expectSameBothWays(code, '/app/a.jsx?v=1')
  })

  // Programs put together from prologues, line ends and export statements the reader takes, refuses
  // or must leave alone: whatever the mix, the same outcome as the full reading.
  test('generated modules: the same outcome as the full reading', () => {
    const opening = fc.constantFrom('', '#!/usr/bin/env node\n', '#!x\r', "#!x\r'use client'\n", '#!x\u2028const a = 1\n', '\uFEFF', "'use strict'\n", "'use client'\n", '/* c */ ', '// c\n', "'x'\n(f)\n")
    const directive = fc.constantFrom("'use server'", '"use server";', "'use server' // x", "'use server'/*\n*/", "'use server'\u2028", "'use server'\n'use sever'")
    const end = fc.constantFrom('\n', '\r\n', '\r', '\u2028', ';', ' ', '\n\n')
    const statement = fc.constantFrom(
      'export async function f() {}', 'export async function* f() {}', 'export default async function () {}', 'export const f = async () => 1',
      'export const f = async x => x', 'export let f = async (a): Promise<number> => a', 'export const f = async () => {} as any', 'export const f = async\nx => x',
      'export default async\nfunction f() {}', "export { f } from './m'", "export { f as 'a b', default as g } from './m'", "export * from './m'", 'export type T = 1',
      'export declare const x: 1', "export { type T } from './t'", 'const a = 1\nexport { a }', 'export function f() {}', 'export const f = 1', 'export class C {}',
      'export = f', 'export async function f(): Promise<void>\nexport async function f() {}', 'export async function f(a = "(") {}', 'export async function \\u0066() {}',
      'export const f = async () => 1\n(0)', 'export default async function () {} + 1', 'export const f = async function () {}', 'export const f = async (x) => x ? 1 : 2',
      'export async function f() {}\nexport default f', 'export async function f() {}\nf = 1', 'x++\n"use server"', "export const g = async () => { 'use server' }",
    )
    const modules = fc.tuple(opening, directive, fc.array(fc.tuple(end, statement), { minLength: 1, maxLength: 4 }), fc.constantFrom('/app/a.ts', '/app/a.js', '/app/a.tsx', '/app/a.mts'))
    fc.assert(
      fc.property(modules, ([head, use, statements, id]) => expectSameBothWays(head + use + statements.map(([e, s]) => e + s).join('') + '\n', id)),
      { numRuns: 400 },
    )
  })
})
