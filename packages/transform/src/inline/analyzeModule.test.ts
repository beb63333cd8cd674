import { describe, expect, test } from 'vitest'
import { TransformError } from '../errors/TransformError.js'
import { parseModule } from '../parse/parseModule.js'
import { analyzeModule } from './analyzeModule.js'
import { resolve } from './scopes.js'

const analyze = (code: string, options?: Parameters<typeof analyzeModule>[3]) =>
  analyzeModule(parseModule(code, '/app/a.tsx'), code, '/app/a.tsx', options)

/** What each reference of the first inline function resolves to: `name:kind`, or `name:module` for module-level and global names. */
function resolved(code: string): string[] {
  const [fn] = analyze(code)
  return fn!.references.map((r) => `${r.name}:${resolve(r.scope, r.name)?.kind ?? 'module'}`)
}

describe('analyzeModule', () => {
  test('finds inline functions in source order, outer before inner, with names and nesting', () => {
    const functions = analyze(`
      export default function Page() {
        const save = async () => { 'use server'; return async function inner() { 'use server' } }
        const actions = { async remove() { 'use server' } }
        return <form action={async () => { 'use server' }} />
      }
      class Store { static async load() { 'use server' } }
      function plain() { 'use strict' }
    `)
    expect(functions.map((f) => [f.displayName, f.enclosingNames.join('.'), f.parent?.displayName ?? null])).toEqual([
      ['save', 'Page', null],
      ['inner', 'Page.save', 'save'],
      ['remove', 'Page', null],
      ['action', 'Page', null],
      ['load', 'Store', null],
    ])
  })

  test('names anonymous functions after what holds them, or not at all', () => {
    const names = analyze(`
      export default async function () { 'use server' }
      x.handler = async () => { 'use server' }
      f(async () => { 'use server' })
      const { run = async () => { 'use server' } } = options
      const typed = (async () => { 'use server' }) as Action
    `).map((f) => f.displayName)
    expect(names).toEqual(['default', 'handler', 'anonymous', 'run', 'typed'])
  })

  test("in a 'use server' module, a directive of an exported function is redundant", () => {
    const code = `'use server'
      export async function a() { 'use server' }
      export const b = async () => { 'use server' }
      async function c() { 'use server' }
      async function d() { 'use server' }
      export default async () => { 'use server' }
      export { c }`
    expect(analyze(code, { moduleExports: new Set(['a', 'b', 'c']) }).map((f) => f.displayName)).toEqual(['d'])
  })

  test('resolves names through every kind of scope, to the nearest declaration', () => {
    expect(
      resolved(`function Page(param, { a, b: [c] = [] }, ...rest) {
        var hoisted
        let block
        function helper() {}
        class Local {}
        try {} catch (caught) {
          for (const item of items) {
            async () => { 'use server'; param, a, c, rest, hoisted, block, helper, Local, caught, item, later, imported, console }
          }
        }
        const later = 1
      }
      import { imported } from './x'`),
    ).toEqual([
      'param:param', 'a:param', 'c:param', 'rest:param', 'hoisted:var', 'block:let', 'helper:function',
      'Local:class', 'caught:catch', 'item:const', 'later:const', 'imported:module', 'console:module',
    ])
  })

  test('`var` belongs to the function even when declared in a block after the use', () => {
    expect(resolved(`function Page() { async () => { 'use server'; x }; if (a) { var x = 1 } }`)).toEqual(['x:var'])
  })

  test('declarations inside the inline function shadow outer ones', () => {
    const [fn] = analyze(`function Page(x, y) {
      async (x) => { 'use server'; { let y; y } x }
    }`)
    expect(fn!.references.map((r) => resolve(r.scope, r.name)!.scope.inline)).toEqual([fn, fn])
  })

  test('member chains keep their non-computed reads, cut at calls, computed members and writes', () => {
    const [fn] = analyze(`function P(a) { async () => { 'use server'
      a.b.c; a?.b; a.b[c].d; a.b.save(); a.save(); a.b = 1; delete a.b; (a).b
    } }`)
    const paths = fn!.references.filter((r) => r.name === 'a').map((r) => r.path.map((m) => (m.optional ? '?.' : '.') + m.name).join('') + (r.continues ? '…' : ''))
    expect(paths).toEqual(['.b.c', '?.b', '.b…', '.b…', '…', '', '', ''])
  })

  test('JSX reads component tags but not intrinsic elements or attribute names', () => {
    const [fn] = analyze(`function P(Icon, ui, div, title) { async () => { 'use server'; return <div title={title}><Icon /><ui.Button /></div> } }`)
    expect(fn!.references.map((r) => r.name)).toEqual(['title', 'Icon', 'ui'])
  })

  test('TypeScript types are not references', () => {
    const code = `function P(x: T, y) { async (a: typeof x): Promise<X> => { 'use server'; return y as Y<typeof x> } }`
    const [fn] = analyzeModule(parseModule(code, '/app/a.ts'), code, '/app/a.ts')
    expect(fn!.references.map((r) => r.name)).toEqual(['y'])
  })

  test('`this`, `arguments` and `super` count unless a non-arrow function or class member intervenes', () => {
    const [fn] = analyze(`class A { static m() { return async () => { 'use server'
      this; arguments; super.x;
      (() => this)();
      (function () { this; arguments })();
      ({ m() { super.x } });
      class B { f = this; static { this } }
    } } }`)
    expect(fn!.contextUses.map((u) => u.keyword)).toEqual(['this', 'arguments', 'super', 'this'])
  })

  test('records writes as reassignments, wherever they are', () => {
    const [fn] = analyze(`function P(a, b, c, d) { a = 1; [b] = []; c++; for (d of []); async () => { 'use server'; a, b, c, d } }`)
    expect(fn!.references.map((r) => resolve(r.scope, r.name)!.reassigned)).toEqual([true, true, true, true])
  })

  test('a binding declared as an inline function knows it', () => {
    const [save, other] = analyze(`function P() { async function save() { 'use server' } const other = async () => { 'use server'; save } }`)
    const reference = other!.references[0]!
    expect(resolve(reference.scope, reference.name)!.inlineFunction).toBe(save)
  })

  test('a misspelled directive in a function body is an error', () => {
    expect(() => analyze(`function P() { return async () => { 'use sever' } }`)).toThrow(TransformError)
  })
})
