import { parse } from '@babel/parser'
import { transformServerFunctions } from '@use-server/transform'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { printTable, saveFigure } from '../lib/results.js'

// The transform over every fixture input, against the floor: a bare @babel/parser parse of the same
// text with the same plugins. Rounds alternate the two so machine noise hits both alike.

const fixturesRoot = fileURLToPath(new URL('../../fixtures/transform/', import.meta.url))
const inputs = readdirSync(fixturesRoot).flatMap((name) => {
  const file = readdirSync(join(fixturesRoot, name)).find((f) => f.startsWith('input.'))
  return file ? [{ id: join(fixturesRoot, name, file), code: readFileSync(join(fixturesRoot, name, file), 'utf8') }] : []
})
const bytes = inputs.reduce((sum, input) => sum + Buffer.byteLength(input.code), 0)

function pluginsFor(id: string) {
  if (id.endsWith('.tsx')) return ['typescript', 'jsx', 'decorators-legacy'] as const
  if (/\.[cm]?ts$/.test(id)) return ['typescript', 'decorators-legacy'] as const
  return ['jsx', 'decorators'] as const
}

// Each round gets fresh ids: the transform caches parses by id, which would flatter it against the floor.
let round = 0
const contenders = {
  'babel parse (floor)': () => {
    for (const { code, id } of inputs) {
      try {
        parse(code, { sourceType: 'module', plugins: [...pluginsFor(id)] })
      } catch {
        // error fixtures fail to parse in both contenders
      }
    }
  },
  'use-server transform (server)': () => {
    for (const { code, id } of inputs) {
      try {
        transformServerFunctions(code, `${id}?round=${round}&target=server`, { target: 'server', root: fixturesRoot })
      } catch {
        // error fixtures throw by design
      }
    }
  },
  'use-server transform (client)': () => {
    for (const { code, id } of inputs) {
      try {
        transformServerFunctions(code, `${id}?round=${round}&target=client`, { target: 'client', root: fixturesRoot })
      } catch {
        // error fixtures throw by design
      }
    }
  },
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 30)
const times: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]))
for (const run of Object.values(contenders)) for (let i = 0; i < 20; i++, round++) run() // warm up the JIT
for (let i = 0; i < rounds; i++, round++) {
  for (const [name, run] of Object.entries(contenders)) {
    const start = process.hrtime.bigint()
    run()
    times[name]!.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
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
printTable(`transform over ${inputs.length} fixture inputs (${(bytes / 1024).toFixed(1)} KB), median of ${rounds} rounds`, rows)
saveFigure('transform-fixtures', { files: inputs.length, bytes, rounds, rows })
