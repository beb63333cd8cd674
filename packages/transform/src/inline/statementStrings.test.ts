import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { generateInlineModules } from '../../../../bench/transform/generateInlineModules.js'
import { generateServerModules } from '../../../../bench/transform/generateServerModules.js'
import { parseModule } from '../parse/parseModule.js'
import { analyzeModule, type MisplacedDirective } from './analyzeModule.js'
import { RandomProgram } from './randomProgram.test-support.js'
import { resolve } from './scopes.js'
import { StatementStrings } from './statementStrings.js'

// The module walk passes over module-level statements that cannot hold a 'use server'. Whatever it
// finds must be what the walk of every statement finds: the same inline functions, each with the
// same names, references (resolved to the same bindings, reassigned or not) and `this` uses, the
// same warnings, the same errors.

/** Everything the transform reads from an analysis, as plain data; or the error it threw. */
function analysis(code: string, id: string, walkEverything: boolean) {
  const warnings: MisplacedDirective[] = []
  try {
    const ast = parseModule(code, id)
    const functions = analyzeModule(ast, code, id, { walkEverything, onMisplacedDirective: (found) => warnings.push(found) })
    return {
      functions: functions.map((fn) => ({
        at: fn.node.start,
        name: fn.displayName,
        enclosing: fn.enclosingNames,
        parent: fn.parent?.node.start ?? null,
        context: fn.contextUses,
        references: fn.references.map((r) => {
          const binding = resolve(r.scope, r.name)
          const to = binding && { at: binding.declaredAt, kind: binding.kind, reassigned: binding.reassigned, inline: binding.inlineFunction?.node.start ?? null }
          return { name: r.name, at: r.start, path: r.path.map((m) => m.name), write: r.write, to }
        }),
      })),
      warnings: warnings.map((w) => ({ at: w.literal.start, inBlock: w.inBlock, within: w.within, parenthesized: w.parenthesized })),
    }
  } catch (error) {
    return { error: String(error) }
  }
}

function expectSameAnalysis(code: string, id: string) {
  expect(analysis(code, id, false), id).toEqual(analysis(code, id, true))
}

describe('passing over module-level statements', () => {
  test('every fixture', () => {
    const root = fileURLToPath(new URL('../../../../fixtures/transform/', import.meta.url))
    for (const name of readdirSync(root)) {
      const file = readdirSync(join(root, name)).find((f) => f.startsWith('input.'))
      if (file) expectSameAnalysis(readFileSync(join(root, name, file), 'utf8'), join(root, name, file))
    }
  })

  test('both bench corpora', () => {
    for (const { code, id } of [...generateInlineModules(240), ...generateServerModules(240)]) expectSameAnalysis(code, id)
  })

  test('generated programs', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 60, maxLength: 500 }), (choices) => expectSameAnalysis(new RandomProgram(choices).module(), '/random.tsx')),
      { numRuns: 500 },
    )
  })

  // A helper with a string that opens a statement in an odd place, beside an inline function
  // elsewhere: the warning (or the misspelling's error) must come out as it does from the full walk.
  const inline = (name: string) => `export function ${name}() { return async () => { 'use server' } }\n`
  test.each([
    ['after an if', `function a(x) { if (x) 'use server' }`],
    ['after else', `function a(x) { if (x) f(); else 'use server' }`],
    ['after do', `function a() { do 'use server'; while (0) }`],
    ['after a case', `function a(x) { switch (x) { case 1: 'use server' } }`],
    ['after a label', `function a() { label: 'use server' }`],
    ['after a block', `function a() { {} 'use server' }`],
    ['parenthesized after an if', `function a(x) { if (x) ('use server') }`],
    ['on a line after a call', `function a() {\n  f()\n  'use server'\n}`],
    ['after a comment that hides the semicolon', `function a() {\n  f() // ;\n  'use server'\n}`],
    ['with CRLF and U+2028 line ends', `function a() {\r\n  f()\u2028  'use server'\r\n}`],
    ['after a return and a line break (ASI)', `function a() {\n  return\n  'use server'\n}`],
    ['spelled with an escape', `function a() { f(); 'use\\x20server' }`],
    ['misspelled in a prologue', `function a() { 'use sarver'; return 1 }`],
    ['misspelled after a comment', `function a() { /* why */ 'use sarver' }`],
    ['misspelled after a line comment', `function a() { // why\n 'use sarver' }`],
    ['conflicting directives', `function a() { 'use client'; 'use server' }`],
    ['in a decorator before export', `@register(async () => { 'use server' })\nexport class A {}`],
    ['at module level after an import', `import x from 'y'\n'use server'`],
    // A line may end in an operator's character and still end its statement (automatic semicolon insertion).
    ['on a line after x++', `function a(x) {\n  x++\n  'use server'\n}`],
    ['on a line after x--', `function a(x) {\n  x--\n  'use server'\n}`],
    ['on a line after a non-null assertion', `function a(x) {\n  x!\n  'use server'\n}`],
    ['on a line after a generic type', `function a() {\n  let x: Array<number>\n  'use server'\n}`],
    ['on a line after a JSX element', `function a() {\n  const x = <div />\n  'use server'\n}`],
    ['on a line after a number ending in a dot', `function a() {\n  const x = 1.\n  'use server'\n}`],
    ['in a module-level block', `{ const v = 1; f(async () => { 'use server'; return v }) }`],
  ])('%s', (_, helper) => {
    const code = `${inline('Before')}${helper}\n${inline('After')}`
    const found = analysis(code, '/a.tsx', true)
    // each case finds something in the helper: a warning, an error that is no parse error, or a third function
    if ('error' in found) expect(found.error).not.toMatch(/parse/)
    else expect(found.warnings.length + found.functions.length).toBeGreaterThan(2)
    expectSameAnalysis(code, '/a.tsx')
  })
})

describe('StatementStrings', () => {
  test('finds strings that may open a statement, not those that continue an expression', () => {
    const code = `f('a', "b"); x = 'c'\n'd'\ny = z +\n'e'; { 'f' } case 'g': h; if (x) "i"`
    const holds = (from: string, to: string) => new StatementStrings(code).holdsOne(code.indexOf(from), code.indexOf(to))
    expect(holds('f(', 'x =')).toBe(false)
    expect(holds('x =', "'d'")).toBe(false)
    expect(holds('x =', "d'")).toBe(true)
    expect(holds('y =', '; {')).toBe(false)
    expect(holds('; {', ' }')).toBe(true)
    expect(holds(' }', 'h;')).toBe(false)
    expect(holds('h;', 'i"')).toBe(true)
  })

  test('answers statement after statement, in order, with the quotes of each range', () => {
    const code = `a('x'); b("y")\n'z'; c = "w"; d()\n"v"`
    const strings = new StatementStrings(code)
    const ends = [7, 14, 19, 29, 33, code.length]
    let start = 0
    const answers = ends.map((end) => {
      const answer = strings.holdsOne(start, end)
      start = end
      return answer
    })
    expect(answers).toEqual([false, false, true, false, false, true])
  })
})
