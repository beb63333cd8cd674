import { parse } from '@babel/parser'
import { transformServerFunctions } from '@use-server/transform'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { printTable, saveFigure } from '../lib/results.js'
import { generateInlineModules, type BenchInput } from './generateInlineModules.js'

// The transform against the floor: a bare @babel/parser parse of the same text with the same
// plugins. Two input sets, each its own row group: every fixture input, and generated inline-heavy
// app modules. Rounds alternate the contenders so machine noise hits them alike.

const fixturesRoot = fileURLToPath(new URL('../../fixtures/transform/', import.meta.url))
const fixtureInputs = readdirSync(fixturesRoot).flatMap((name) => {
  const file = readdirSync(join(fixturesRoot, name)).find((f) => f.startsWith('input.'))
  return file ? [{ id: join(fixturesRoot, name, file), code: readFileSync(join(fixturesRoot, name, file), 'utf8') }] : []
})
const inlineInputs = generateInlineModules(Number(process.env.BENCH_INLINE_MODULES ?? 300))

function pluginsFor(id: string) {
  if (id.endsWith('.tsx')) return ['typescript', 'jsx', 'decorators-legacy'] as const
  if (/\.[cm]?ts$/.test(id)) return ['typescript', 'decorators-legacy'] as const
  return ['jsx', 'decorators'] as const
}

// Every run uses fresh ids: the transform caches parses by module id (the client and the server
// environment compile the same text), which would flatter it against the floor here.
let runCount = 0

function contenders(inputs: BenchInput[], root: string, targets: Array<'server' | 'client'>) {
  const transform = (target: 'server' | 'client') => () => {
    runCount++
    for (const { code, id } of inputs) {
      try {
        transformServerFunctions(code, `${id}?run=${runCount}`, { target, root })
      } catch {
        // error fixtures throw by design
      }
    }
  }
  return {
    'babel parse (floor)': () => {
      for (const { code, id } of inputs) {
        try {
          parse(code, { sourceType: 'module', plugins: [...pluginsFor(id)] })
        } catch {
          // error fixtures fail to parse in both contenders
        }
      }
    },
    ...Object.fromEntries(targets.map((target) => [`use-server transform (${target})`, transform(target)])),
  }
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 30)
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

function measure(figure: string, title: string, inputs: BenchInput[], runs: Record<string, () => void>) {
  const bytes = inputs.reduce((sum, input) => sum + Buffer.byteLength(input.code), 0)
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]))
  for (const run of Object.values(runs)) for (let i = 0; i < 20; i++) run() // warm up the JIT
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(runs)) {
      const start = process.hrtime.bigint()
      run()
      times[name]!.push(Number(process.hrtime.bigint() - start) / 1e6)
    }
  }
  const floor = median(times['babel parse (floor)']!)
  const rows = Object.entries(times).map(([name, values]) => {
    const ms = median(values)
    return {
      contender: name,
      'ms/file': +(ms / inputs.length).toFixed(4),
      'MB/s': +(bytes / 1e6 / (ms / 1000)).toFixed(2),
      'ratio to floor': +(ms / floor).toFixed(2),
    }
  })
  printTable(`${title} (${inputs.length} files, ${(bytes / 1024).toFixed(1)} KB), median of ${rounds} rounds`, rows)
  saveFigure(figure, { files: inputs.length, bytes, rounds, rows })
}

measure('transform-fixtures', 'transform over the fixture inputs', fixtureInputs, contenders(fixtureInputs, fixturesRoot, ['server', 'client']))
// The client target rejects inline server functions at once, so only the server target is measured.
measure('transform-inline', 'transform over generated inline-heavy modules, TS and TSX', inlineInputs, contenders(inlineInputs, '/bench/app', ['server']))
