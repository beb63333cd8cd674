import { describe, expect, test } from 'vitest'
import { boundText, narrowMemberCaptures, type CapturedUse } from './narrowMemberCaptures.js'
import { createScope, declare, type Binding } from './scopes.js'

const scope = createScope('function', null, 0)
const post = declare(scope, { name: 'post', start: 0 }, 'param', 0)!
const user = declare(scope, { name: 'user', start: 0 }, 'param', 0)!

/** A use written as source: `post.a?.b`, with `…` at the end when the chain goes on (a call or computed member). */
function use(binding: Binding, text: string, at = 0): CapturedUse {
  const continues = text.endsWith('…')
  const members = [...text.replace('…', '').slice(binding.name.length).matchAll(/(\?\.|\.)(\w+)/g)]
  return { binding, path: members.map((m) => ({ name: m[2]!, optional: m[1] === '?.' })), continues, at }
}
const narrow = (...uses: CapturedUse[]) => narrowMemberCaptures(uses).map((v) => boundText(v.binding, v.path))

describe('narrowMemberCaptures', () => {
  test('member reads bind the members; the shortest path covers longer ones', () => {
    expect(narrow(use(post, 'post.id', 1), use(post, 'post.author.name', 2), use(post, 'post.author', 3))).toEqual(['post.id', 'post.author'])
    expect(narrow(use(post, 'post.id'), use(post, 'post.id'))).toEqual(['post.id'])
  })

  test('a bare use binds the variable itself', () => {
    expect(narrow(use(post, 'post.id'), use(post, 'post'))).toEqual(['post'])
  })

  test('values come in order of first use', () => {
    expect(narrow(use(user, 'user.name', 5), use(post, 'post.id', 9), use(post, 'post.title', 1))).toEqual(['post.title', 'user.name', 'post.id'])
  })

  test('optional chains narrow only where cutting them keeps their meaning', () => {
    expect(narrow(use(post, 'post?.author?.name'))).toEqual(['post?.author?.name'])
    expect(narrow(use(post, 'post.author?.name'), use(post, 'post.author'))).toEqual(['post.author'])
    // `post?.author.save()` cut at `post?.author` would call `.save` on undefined
    expect(narrow(use(post, 'post?.author…'))).toEqual(['post'])
    expect(narrow(use(post, 'post?.author'), use(post, 'post?.author.name'))).toEqual(['post'])
    // one value cannot stand for both `post?.id` and `post.id`
    expect(narrow(use(post, 'post?.id'), use(post, 'post.id'))).toEqual(['post'])
  })

  test('a variable used more times than a call can take arguments (generated code) still narrows', () => {
    // spreading the uses into `Math.min` overflowed the stack from ~120 000 of them
    const uses = Array.from({ length: 300_000 }, (_, i) => use(post, 'post.id', 300_000 - i))
    expect(narrowMemberCaptures(uses)).toEqual([{ binding: post, path: [{ name: 'id', optional: false }], at: 1 }])
    expect(narrowMemberCaptures([...uses, use(post, 'post', 7)])).toEqual([{ binding: post, path: [], at: 1 }])
  })
})
