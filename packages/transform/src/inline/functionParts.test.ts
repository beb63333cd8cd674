import { describe, expect, test } from 'vitest'
import { parseModule } from '../parse/parseModule.js'
import { analyzeModule } from './analyzeModule.js'
import { functionParts } from './functionParts.js'

/** The parts of the first inline function in `code`, shown as the text that starts at each offset. */
function parts(code: string) {
  const [fn] = analyzeModule(parseModule(code, '/a.ts'), code, '/a.ts')
  const p = functionParts(fn!.node, code)
  return {
    moved: code.slice(p.signatureStart, fn!.node.end!),
    paramsOpen: p.paramsOpen === null ? null : code[p.paramsOpen],
    arrow: p.arrow === null ? null : code.slice(p.arrow, p.arrow + 2),
    dropped: p.modifiers && code.slice(p.modifiers.start, p.modifiers.end),
  }
}

describe('functionParts', () => {
  test('function declarations and expressions, named or not, generators, type parameters', () => {
    expect(parts("async function save (a) { 'use server' }").moved).toBe("(a) { 'use server' }")
    expect(parts("f(async function* () { 'use server' })").moved).toBe("() { 'use server' }")
    expect(parts("f(async /* c */ function /* d */ * gen() { 'use server' })").moved).toBe("() { 'use server' }")
    expect(parts("async function f<T>(a: T) { 'use server' }")).toMatchObject({ moved: "<T>(a: T) { 'use server' }", paramsOpen: '(' })
  })

  test('arrows: parenthesized, lone parameter, return type', () => {
    expect(parts("f(async (a, b,) => { 'use server' })")).toMatchObject({ moved: "(a, b,) => { 'use server' }", arrow: '=>' })
    expect(parts("f(async a => { 'use server' })")).toMatchObject({ moved: "a => { 'use server' }", paramsOpen: null, arrow: '=>' })
    expect(parts("f(async (): Promise<() => void> => { 'use server' })").arrow).toBe('=>')
  })

  test('methods: modifiers before `async` stay, `async` and `*` go, computed keys stay', () => {
    expect(parts("class A { public static async *[k()](a) { 'use server' } }")).toMatchObject({ moved: "(a) { 'use server' }", dropped: 'async *' })
    expect(parts("({ async save(a) { 'use server' } })")).toMatchObject({ moved: "(a) { 'use server' }", dropped: 'async ' })
    expect(parts("class A { @log static async save<T>() { 'use server' } }")).toMatchObject({ moved: "<T>() { 'use server' }", dropped: 'async ' })
  })
})
