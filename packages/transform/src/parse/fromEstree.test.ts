import { parseAst } from 'vite'
import { describe, expect, test } from 'vitest'
import { compileOutcome, transformFixtures } from '../transformFixtures.test-support.js'
import type { EstreeParse, TransformOptions, TransformTarget } from '../types.js'
import { moduleFromEstree } from './fromEstree.js'

// The native parser must change nothing but the time: every fixture, both targets, compiled with
// Babel alone and with Vite 8's parseAst (oxc) given, must come out the same (code, map, functions,
// errors with their frames, warnings).

const parseEstree = parseAst as unknown as EstreeParse

function outcome(code: string, id: string, options: Partial<TransformOptions>, target: TransformTarget, withEstree: boolean) {
  return compileOutcome(code, id, { ...options, ...(withEstree && { parseEstree }) }, target)
}

const fixtures = transformFixtures

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
