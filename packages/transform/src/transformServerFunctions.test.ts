import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import { TransformError } from './errors/TransformError.js'
import { transformServerFunctions } from './transformServerFunctions.js'

const source = `'use server'

import { db } from './db'

export async function createPost(formData: FormData) {
  const title = formData.get('title')
  return db.insert({ title })
}

export const likePost = async (id: string) => {
  return db.like(id)
}
`

describe('transformServerFunctions', () => {
  test('a module that never says "use server" is returned as null without being parsed', () => {
    expect(transformServerFunctions('this is { not JavaScript', '/app/a.ts', { target: 'server' })).toBeNull()
    expect(transformServerFunctions('export function f() {}', '/app/a.ts', { target: 'client' })).toBeNull()
  })

  test('server output keeps every original line at its line number (the directive becomes a comment)', () => {
    const result = transformServerFunctions(source, '/app/src/actions.ts', { target: 'server', root: '/app' })!
    const inputLines = source.split('\n')
    const outputLines = result.code.split('\n')
    expect(outputLines.length).toBe(inputLines.length)
    expect(outputLines[0]).toMatch(/^\/\* use server \*\/; import/)
    inputLines.slice(1).forEach((line, i) => expect(outputLines[i + 1]!.startsWith(line)).toBe(true))
  })

  test('the server source map leads from a position inside a function back to the input', () => {
    const result = transformServerFunctions(source, '/app/src/actions.ts', { target: 'server', root: '/app' })!
    const map = new TraceMap(result.map as never)
    const outputLines = result.code.split('\n')
    const line = outputLines.findIndex((l) => l.includes('db.like(id)')) + 1
    const column = outputLines[line - 1]!.indexOf('db.like')
    const original = originalPositionFor(map, { line, column })
    expect(original).toMatchObject({ source: '/app/src/actions.ts', line: 11, column: 9 })
    // the registration appended on line 7 still maps its own code to the function's closing line
    const registerLine = outputLines.findIndex((l) => l.includes('registerServerReference(createPost')) + 1
    expect(originalPositionFor(map, { line: registerLine, column: 0 }).line).toBe(8)
  })

  test('the client source map leads nowhere: a bundler following it would copy the server module into the client map', () => {
    const result = transformServerFunctions(source, '/app/src/actions.ts', { target: 'client', root: '/app' })!
    expect(result.map).toEqual({ mappings: '' })
  })

  test('a build that writes no source maps can go without one: the same code, an empty map', () => {
    const mapped = transformServerFunctions(source, '/app/src/actions.ts', { target: 'server', root: '/app' })!
    const unmapped = transformServerFunctions(source, '/app/src/actions.ts', { target: 'server', root: '/app', sourceMap: false })!
    expect(unmapped.code).toBe(mapped.code)
    expect(unmapped.map).toEqual({ mappings: '' })
  })

  test('functions carry ids, export names and locations', () => {
    const result = transformServerFunctions(source, '/app/src/actions.ts', { target: 'server', root: '/app' })!
    expect(result.functions.map(({ exportName, kind, bound, loc }) => ({ exportName, kind, bound, loc }))).toEqual([
      { exportName: 'createPost', kind: 'module', bound: [], loc: { line: 5, column: 7 } },
      { exportName: 'likePost', kind: 'module', bound: [], loc: { line: 10, column: 13 } },
    ])
  })

  test('server output runs: each export is registered with its own function, once it exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'use-server-transform-'))
    writeFileSync(
      join(dir, 'runtime.mjs'),
      `export const registered = []
       export function registerServerReference(fn, id, name) {
         if (typeof fn !== 'function') throw new Error('export ' + name + ' is not a function')
         registered.push({ fn, id, name }); return fn
       }`,
    )
    writeFileSync(join(dir, 'other.mjs'), `export async function fromOther() { return 'other' }`)
    const input = `'use server'
export { later, later as alias }
export { fromOther } from './other.mjs'
export default async function () { return 'default' }
export const arrow = async () => 'arrow'
export async function* generator() { yield 'generated' }
const later = async () => 'later'
`
    const result = transformServerFunctions(input, join(dir, 'actions.mjs'), {
      target: 'server',
      root: dir,
      serverRuntime: pathToFileURL(join(dir, 'runtime.mjs')).href,
    })!
    writeFileSync(join(dir, 'actions.mjs'), result.code)
    const actions = await import(pathToFileURL(join(dir, 'actions.mjs')).href)
    const { registered } = await import(pathToFileURL(join(dir, 'runtime.mjs')).href)
    const byName = new Map(registered.map((r: { name: string; fn: unknown }) => [r.name, r.fn]))
    expect([...byName.keys()].sort()).toEqual(['alias', 'arrow', 'default', 'fromOther', 'generator', 'later'])
    for (const [name, fn] of byName) expect(fn).toBe(actions[name as string])
    expect(await actions.default()).toBe('default')
    expect(await actions.fromOther()).toBe('other')
    expect(await actions.generator().next()).toEqual({ value: 'generated', done: false })
    expect(new Set(registered.map((r: { id: string }) => r.id))).toEqual(new Set(result.functions.map((f) => f.id)))
  })

  test("a compile error's stack is its place in the module: no frame of the compiler's", () => {
    let error: TransformError | undefined
    try {
      transformServerFunctions("'use server'\n\nexport function save() {}\n", '/app/src/save.ts', { target: 'server' })
    } catch (thrown) {
      error = thrown as TransformError
    }
    expect(error).toBeInstanceOf(TransformError)
    expect(error!.stack).toBe(`UseServerTransformError: ${error!.message}\n    at /app/src/save.ts:3:8`)
    expect(error!.loc).toEqual({ file: '/app/src/save.ts', line: 3, column: 7 })
  })

  test('warnings: a misplaced directive is reported, and the module compiles as JavaScript reads it', () => {
    const warnings: string[] = []
    const onWarning = (warning: { code: string; loc: { line: number } }) => void warnings.push(`${warning.code}@${warning.loc.line}`)
    expect(transformServerFunctions("import x from 'x'\n'use server'\nexport async function f() {}\n", '/a.js', { target: 'client', onWarning })).toBeNull()
    expect(warnings).toEqual(['DIRECTIVE_NOT_IN_PROLOGUE@2'])
    // without a listener, nothing is looked for
    expect(transformServerFunctions("import x from 'x'\n'use server'\n", '/a.js', { target: 'client' })).toBeNull()
  })
})
