import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { uniqueIdentifier } from './uniqueIdentifier.js'

describe('uniqueIdentifier', () => {
  test('the first of base, base$1, base$2… not in the code nor taken', () => {
    expect(uniqueIdentifier('const x = 1', 'save')).toBe('save')
    expect(uniqueIdentifier('save(); save$1()', 'save')).toBe('save$2')
    expect(uniqueIdentifier('', 'save', new Set(['save', 'save$1']))).toBe('save$2')
  })

  test('resuming gives the names a search from the start gives, in the same order', () => {
    const names = fc.constantFrom('$$a', '$$a$1', '$$b', '$$a$1$1', 'x')
    fc.assert(
      fc.property(fc.array(names, { maxLength: 40 }), fc.array(names, { maxLength: 5 }), (bases, inCode) => {
        const code = inCode.join(' ')
        const searched = new Set<string>()
        const resumed = new Set<string>()
        const suffixes = new Map<string, number>()
        for (const base of bases) {
          const name = uniqueIdentifier(code, base, searched)
          expect(uniqueIdentifier(code, base, resumed, suffixes)).toBe(name)
          searched.add(name)
          resumed.add(name)
        }
      }),
      { numRuns: 2000 },
    )
  })

  test('thousands of one name: each resumes where the last stopped', () => {
    const taken = new Set<string>()
    const suffixes = new Map<string, number>()
    let calls = 0
    const probes = { has: (name: string) => (calls++, taken.has(name)) }
    for (let i = 0; i < 5000; i++) taken.add(uniqueIdentifier('', '$$server_anonymous', probes, suffixes))
    expect(taken.size).toBe(5000)
    expect(calls).toBeLessThan(10_001) // a search from the start each time: 12.5 million
  })
})
