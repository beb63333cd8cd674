import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TransformError, type TransformWarning } from './errors/TransformError.js'
import { transformServerFunctions } from './transformServerFunctions.js'
import type { TransformOptions, TransformTarget } from './types.js'

// For tests that compile every fixture two ways (with and without a native parser) and compare.

export const fixturesRoot = fileURLToPath(new URL('../../../fixtures/transform/', import.meta.url))

/** Every fixture's input, with its options. */
export const transformFixtures = readdirSync(fixturesRoot)
  .sort()
  .flatMap((name) => {
    const file = readdirSync(join(fixturesRoot, name)).find((f) => f.startsWith('input.'))
    if (!file) return []
    const optionsFile = join(fixturesRoot, name, 'options.json')
    const options: Partial<TransformOptions> = existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {}
    const id = join(fixturesRoot, name, file)
    return [{ name, id, code: readFileSync(id, 'utf8'), options }]
  })

/** Everything a compile tells: code, map and functions, or the error with its frame; and the warnings. */
export function compileOutcome(code: string, id: string, options: Partial<TransformOptions>, target: TransformTarget) {
  const warnings: TransformWarning[] = []
  try {
    const result = transformServerFunctions(code, id, { ...options, target, root: fixturesRoot, onWarning: (w) => warnings.push(w) })
    return { result: result && { code: result.code, map: JSON.stringify(result.map), functions: result.functions }, warnings }
  } catch (error) {
    if (!(error instanceof TransformError)) throw error
    return { error: { code: error.code, message: error.message, loc: error.loc, frame: error.frame }, warnings }
  }
}
