import MagicString from 'magic-string'
import { describe, expect, test } from 'vitest'
import { afterPrologue } from '../codegen/afterPrologue.js'
import { parseModule } from '../parse/parseModule.js'
import { analyzeModule } from './analyzeModule.js'
import { compileInlineFunctions } from './compileInlineFunctions.js'

function compile(code: string) {
  const ast = parseModule(code, '/a.js')
  const s = new MagicString(code)
  const functions = compileInlineFunctions(analyzeModule(ast, code, '/a.js'), {
    s,
    code,
    id: '/a.js',
    idOf: (name) => `id:${name}`,
    register: 'register',
    bindLazily: () => 'bindLazily',
    moduleStart: afterPrologue(ast, code),
  })
  return { code: s.toString(), functions }
}

describe('compileInlineFunctions', () => {
  test('names hoisted functions after where they are, with a suffix only for duplicates', () => {
    const { functions } = compile(`export function Page() {
      const a = async () => { 'use server' }
      const b = [async () => { 'use server' }, async () => { 'use server' }]
    }`)
    expect(functions.map((f) => [f.exportName, f.id, f.displayName])).toEqual([
      ['$$server_Page_a', 'id:$$server_Page_a', 'a'],
      ['$$server_Page_anonymous', 'id:$$server_Page_anonymous', 'anonymous'],
      ['$$server_Page_anonymous$1', 'id:$$server_Page_anonymous$1', 'anonymous'],
    ])
  })

  test('a value the body does not name gets a fresh parameter when its name is taken there', () => {
    // `g` rebuilds `h`, which binds the outer `x`; `g`'s own `x` is another variable
    const { code } = compile(`export function P(x) {
      const h = async () => { 'use server'; return x }
      function inner() {
        const x = 2
        const g = async () => { 'use server'; return [h, x] }
      }
    }`)
    expect(code).toContain('export async function $$server_P_inner_g($$x, x) {')
    expect(code).toContain('const h = register($$server_P_h, "id:$$server_P_h", "h", 1).bind(null, $$x);')
    expect(code).toContain('const g = register($$server_P_inner_g, "id:$$server_P_inner_g", "g", 2).bind(null, x, x)')
  })
})
