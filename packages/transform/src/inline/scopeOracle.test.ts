import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { parse } from '@babel/parser'
import { describe, expect, test } from 'vitest'
import { mayUseServer } from '../directives/mayUseServer.js'
import { TransformError } from '../errors/TransformError.js'
import { transformServerFunctions } from '../transformServerFunctions.js'
import { RandomProgram } from './randomProgram.test-support.js'
import { babelCaptures, ourCaptures } from './scopeOracle.test-support.js'

// The capture analysis is hand-written for speed; Babel's scope tracker is its oracle. For every
// fixture that compiles, each inline function must capture exactly the variables Babel resolves its names to.
const fixturesRoot = fileURLToPath(new URL('../../../../fixtures/transform/', import.meta.url))

describe('captured names agree with @babel/traverse', () => {
  const cases = readdirSync(fixturesRoot).sort().flatMap((name) => {
    const input = readdirSync(join(fixturesRoot, name)).find((file) => file.startsWith('input.'))
    if (!input) return []
    const id = join(fixturesRoot, name, input)
    const code = readFileSync(id, 'utf8')
    if (!mayUseServer(code)) return []
    let ours
    try {
      ours = ourCaptures(code, id)
    } catch {
      return [] // a module that does not compile: its error has a fixture of its own
    }
    return ours.size > 0 ? [{ name, id, code, ours }] : []
  })

  test('the fixtures hold inline functions to compare', () => expect(cases.length).toBeGreaterThan(40))

  test.each(cases)('$name', ({ id, code, ours }) => {
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(babelCaptures(code, id, ours.keys())))
  })
})

describe('captured names agree with @babel/traverse on generated programs', () => {
  const programs = fc.array(fc.nat(), { minLength: 60, maxLength: 500 }).map((choices) => {
    const program = new RandomProgram(choices)
    return { code: program.module(), inlineFunctions: program.inlineFunctions.count }
  })

  test('the generator writes valid modules, with inline functions in them', () => {
    const sample = fc.sample(programs, { numRuns: 200, seed: 13 })
    for (const { code } of sample) expect(() => parse(code, { sourceType: 'module' }), code).not.toThrow()
    expect(sample.filter((p) => p.inlineFunctions > 0).length).toBeGreaterThan(150)
  })

  test('every inline function of every program captures what Babel resolves', () => {
    fc.assert(
      fc.property(programs, ({ code, inlineFunctions }) => {
        const ours = ourCaptures(code, '/random.js')
        expect(ours.size, 'inline functions found').toBe(inlineFunctions)
        expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(babelCaptures(code, '/random.js', ours.keys())))
        // and what the transform writes from it is a valid module (or the module is refused, with a reason)
        let output: string | undefined
        try {
          output = transformServerFunctions(code, '/random.js', { target: 'server', root: '/' })?.code
        } catch (error) {
          if (!(error instanceof TransformError)) throw error
        }
        if (output) expect(() => parse(output, { sourceType: 'module' }), output).not.toThrow()
      }),
      { numRuns: Number(process.env.ORACLE_RUNS ?? 400) },
    )
  })
})
