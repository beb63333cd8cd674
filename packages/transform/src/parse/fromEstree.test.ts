import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAst } from 'vite'
import { describe, expect, test } from 'vitest'
import { TransformError, type TransformWarning } from '../errors/TransformError.js'
import { transformServerFunctions } from '../transformServerFunctions.js'
import type { EstreeParse, TransformOptions, TransformTarget } from '../types.js'
import { moduleFromEstree } from './fromEstree.js'

// The native parser must change nothing but the time: every fixture, both targets, compiled with
// Babel alone and with Vite 8's parseAst (oxc) given, must come out the same (code, map, functions,
// errors with their frames, warnings).

const fixturesRoot = fileURLToPath(new URL('../../../../fixtures/transform/', import.meta.url))
const parseEstree = parseAst as unknown as EstreeParse

function outcome(code: string, id: string, options: Partial<TransformOptions>, target: TransformTarget, withEstree: boolean) {
  const warnings: TransformWarning[] = []
  try {
    const result = transformServerFunctions(code, id, { ...options, target, root: fixturesRoot, onWarning: (w) => warnings.push(w), ...(withEstree && { parseEstree }) })
    return { result: result && { code: result.code, map: JSON.stringify(result.map), functions: result.functions }, warnings }
  } catch (error) {
    if (!(error instanceof TransformError)) throw error
    return { error: { code: error.code, message: error.message, loc: error.loc, frame: error.frame }, warnings }
  }
}

const fixtures = readdirSync(fixturesRoot)
  .sort()
  .flatMap((name) => {
    const file = readdirSync(join(fixturesRoot, name)).find((f) => f.startsWith('input.'))
    if (!file) return []
    const optionsFile = join(fixturesRoot, name, 'options.json')
    const options: Partial<TransformOptions> = existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {}
    const id = join(fixturesRoot, name, file)
    return [{ name, id, code: readFileSync(id, 'utf8'), options }]
  })

describe('moduleFromEstree', () => {
  test.each(fixtures.map((f) => [f.name, f] as const))('%s compiles the same with the native parser', (_, { id, code, options }) => {
    for (const target of ['client', 'server'] as const) {
      expect(outcome(code, id, options, target, true)).toEqual(outcome(code, id, options, target, false))
    }
  })

  test('takes most fixtures of plain use-server modules, and leaves the rest to Babel', () => {
    const taken = fixtures.filter(({ id, code }) => moduleFromEstree(code, id, 'client', parseEstree) !== null)
    expect(taken.length).toBeGreaterThan(30)
    for (const { name, id, code } of fixtures) {
      if (/^(inline|error-inline)/.test(name)) expect(moduleFromEstree(code, id, 'server', parseEstree), name).toBeNull()
    }
  })

  test.each([
    ['a syntax error', "'use server'\nexport const = 1"],
    ['no directive', 'export async function f() {}'],
    ['a directive after code', "import x from 'x'\n'use server'\nexport async function f() {}"],
    ['an enum', "'use server'\nexport enum E { A }"],
    ['a namespace', "'use server'\nexport namespace N { export const a = 1 }"],
    ['export =', "'use server'\nexport = f"],
    ['export * as', "'use server'\nexport * as ns from './m'"],
    ['a decorated class', "'use server'\n@dec export class C {}"],
  ])('leaves %s to Babel', (_, code) => {
    expect(moduleFromEstree(code, '/app/a.ts', 'client', parseEstree)).toBeNull()
  })

  test('on the server, a module that may hold an inline function goes to Babel; on the client it need not', () => {
    const code = "'use server'\nexport async function outer() {\n  async function inner() { 'use server' }\n  return inner\n}\n"
    expect(moduleFromEstree(code, '/app/a.ts', 'server', parseEstree)).toBeNull()
    expect(moduleFromEstree(code, '/app/a.ts', 'client', parseEstree)).not.toBeNull()
  })

  test('positions count UTF-16 units and every kind of line end, as Babel does', () => {
    const code = "'use server'\r\n// ünïcødé 🙂\u2028export const f = async () => 1\rexport async function g() {}\n"
    for (const target of ['client', 'server'] as const) {
      expect(outcome(code, '/app/a.ts', {}, target, true)).toEqual(outcome(code, '/app/a.ts', {}, target, false))
    }
  })
})
