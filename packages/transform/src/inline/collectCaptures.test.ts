import { describe, expect, test } from 'vitest'
import { TransformError } from '../errors/TransformError.js'
import { parseModule } from '../parse/parseModule.js'
import { analyzeModule } from './analyzeModule.js'
import { collectCaptures } from './collectCaptures.js'
import { boundText } from './narrowMemberCaptures.js'

/** For each inline function (by display name): what it binds, and which inline functions it rebuilds by name. */
function capturesOf(code: string) {
  const functions = analyzeModule(parseModule(code, '/a.tsx'), code, '/a.tsx')
  const captures = collectCaptures(functions, code, '/a.tsx')
  return Object.fromEntries(
    functions.map((fn) => {
      const { bound, aliases } = captures.get(fn)!
      return [fn.displayName, { bound: bound.map((v) => boundText(v.binding, v.path)), aliases: aliases.map((a) => `${a.name}→${a.target.displayName}`) }]
    }),
  )
}
const bound = (code: string, name = 'f') => capturesOf(code)[name]!.bound

describe('collectCaptures', () => {
  test('captures locals of enclosing functions and blocks, never module-level names or globals', () => {
    expect(bound(`import { db } from './db'; const top = 1
      function P(a) { let b; { const c = 1; const f = async () => { 'use server'; return [a, b, c, db, top, Math] } } }`)).toEqual(['a', 'b', 'c'])
  })

  test('an outer local that shadows an import is captured', () => {
    expect(bound(`import { db } from './db'; function P() { const db = open(); const f = async () => { 'use server'; db.run() } }`)).toEqual(['db'])
  })

  test('names declared inside, at any depth, are not captured', () => {
    expect(bound(`function P(a, b, c, d, e) { const f = async (a, { b } = {}) => { 'use server'
      { let c } var d; function e() {} try {} catch (x) {}
      return [a, b, d, e] } }`)).toEqual([])
  })

  test('a block inside the function shadows only within that block', () => {
    expect(bound(`function P(x) { const f = async () => { 'use server'; { let x = 1; x } return x } }`)).toEqual(['x'])
  })

  test("a nested inline function's captures pass through the one around it", () => {
    const captures = capturesOf(`function P(post, user) { const outer = async (a) => { 'use server'
      const local = 1
      const inner = async () => { 'use server'; return [post.id, local, a, user] }
      return user.name } }`)
    expect(captures.inner!.bound).toEqual(['post.id', 'local', 'a', 'user'])
    expect(captures.outer!.bound).toEqual(['post.id', 'user'])
  })

  test('functions that call themselves or each other rebuild those references instead of binding them', () => {
    const captures = capturesOf(`function P(x, y) {
      async function ping() { 'use server'; return pong() + x }
      async function pong() { 'use server'; return ping() + y }
      const self = async function again() { 'use server'; return again }
      const loop = async () => { 'use server'; return loop }
    }`)
    expect(captures.ping).toEqual({ bound: ['x', 'y'], aliases: ['pong→pong'] })
    expect(captures.pong).toEqual({ bound: ['x', 'y'], aliases: ['ping→ping'] })
    expect(captures.again).toEqual({ bound: [], aliases: ['again→again'] })
    expect(captures.loop).toEqual({ bound: [], aliases: ['loop→loop'] })
  })

  test('a reassigned binding that held an inline function is an ordinary captured value', () => {
    expect(capturesOf(`function P() { let g = async () => { 'use server' }; g = other; const f = async () => { 'use server'; return g } }`).f)
      .toEqual({ bound: ['g'], aliases: [] })
  })

  test.each([
    ['x = 1', 'x'],
    ['x += 1', 'x'],
    ['x++', 'x'],
    ['[x] = [1]', 'x'],
    ['({ y: x } = {})', 'x'],
    ['for (x of []) ;', 'x'],
    ['(() => { x = 1 })()', 'x'],
  ])('`%s` assigns to a captured variable', (statement, name) => {
    let error: unknown
    try {
      capturesOf(`function P(x) { const f = async () => { 'use server'; ${statement} } }`)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TransformError)
    expect((error as TransformError).code).toBe('INLINE_ASSIGNS_CAPTURED')
    expect((error as TransformError).message).toContain(`"${name}"`)
  })

  test('assigning to its own locals and to module-level variables is fine', () => {
    expect(bound(`let count = 0; function P() { const f = async () => { 'use server'; let x; x = 1; count++ } }`)).toEqual([])
  })
})
