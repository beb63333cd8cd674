import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { boundText, CoveringValues, narrowMemberCaptures, type BoundValue, type CapturedUse, type Member } from './narrowMemberCaptures.js'
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

  test('thousands of distinct members of one variable take time in proportion (a search of every value per use took minutes)', () => {
    const uses = Array.from({ length: 200_000 }, (_, i) => use(post, `post.m${i}.x`, i))
    const values = narrowMemberCaptures(uses)
    expect(values).toHaveLength(200_000)
    const covering = new CoveringValues(values)
    expect(uses.every((u, i) => covering.of(post, u.path) === values[i])).toBe(true)
    expect(covering.of(post, [{ name: 'm7', optional: false }])).toBeUndefined() // `post.m7` alone is not covered by `post.m7.x`
  }, 30_000)

  test('agrees with a search through every value (the implementation before the prefix lookup) on generated uses', () => {
    const member = fc.record({ name: fc.constantFrom('a', 'b', 'c'), optional: fc.boolean() })
    const uses = fc.array(
      fc.record({ binding: fc.constantFrom(post, user), path: fc.array(member, { maxLength: 3 }), continues: fc.boolean(), at: fc.nat(50) }),
      { minLength: 1, maxLength: 30 },
    )
    fc.assert(
      fc.property(uses, (list) => {
        const values = narrowMemberCaptures(list)
        expect(values).toEqual(searchedNarrowing(list))
        const covering = new CoveringValues(values)
        for (const { binding, path } of list) {
          expect(covering.of(binding, path)).toBe(values.find((v) => v.binding === binding && startsWith(path, v.path)))
        }
      }),
      { numRuns: 3000 },
    )
  })
})

// The narrowing as written before its covers were looked up by prefix: the oracle of the test above.
function searchedNarrowing(uses: readonly CapturedUse[]): BoundValue[] {
  const byBinding = new Map<CapturedUse['binding'], CapturedUse[]>()
  for (const use of uses) byBinding.set(use.binding, [...(byBinding.get(use.binding) ?? []), use])
  const values: BoundValue[] = []
  for (const [binding, list] of byBinding) values.push(...searchedOne(binding, list))
  return values.sort((a, b) => a.at - b.at || boundText(a.binding, a.path).localeCompare(boundText(b.binding, b.path)))
}

function searchedOne(binding: CapturedUse['binding'], uses: CapturedUse[]): BoundValue[] {
  const whole = [{ binding, path: [], at: Math.min(...uses.map((u) => u.at)) }]
  if (uses.some((u) => u.path.length === 0)) return whole
  const kept: Array<{ path: readonly Member[]; at: number }> = []
  for (const use of [...uses].sort((a, b) => a.path.length - b.path.length)) {
    const cover = kept.find((k) => startsWith(use.path, k.path))
    if (!cover) {
      kept.push({ path: use.path, at: use.at })
      continue
    }
    cover.at = Math.min(cover.at, use.at)
    if (cover.path.some((m, i) => m.optional !== use.path[i]!.optional)) return whole
  }
  for (const use of uses) {
    const cover = kept.find((k) => startsWith(use.path, k.path))!
    if (cover.path.some((m) => m.optional) && (use.path.length > cover.path.length || use.continues)) return whole
  }
  return kept.map(({ path, at }) => ({ binding, path, at }))
}

function startsWith(path: readonly Member[], prefix: readonly Member[]): boolean {
  return prefix.length <= path.length && prefix.every((m, i) => m.name === path[i]!.name)
}
