import { formDataToObject } from '@use-server/runtime/server'
import qs from 'qs'
import { printTable, saveFigure } from '../lib/results.js'
import { median, round } from '../lib/stats.js'

// FormData → the object a schema validates: use-server's `formDataToObject` against a floor (reading
// every entry into a Map, the least any conversion does) and qs (Express's parser of nested names,
// given the same decoded entries, `allowDots` on so it reads both spellings), alternating, per form.

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10)

interface Case {
  name: string
  form: FormData
  /** The same fields as qs takes them: one key per name, repeated names as lists. */
  entries: Record<string, string | string[]>
}

function makeCase(name: string, fields: Array<[string, string]>): Case {
  const form = new FormData()
  const entries: Record<string, string | string[]> = {}
  for (const [key, value] of fields) {
    form.append(key, value)
    const previous = entries[key]
    entries[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value]
  }
  return { name, form, entries }
}

const signUp: Array<[string, string]> = [
  ['name', 'Ada Lovelace'], ['email', 'ada@example.com'], ['age', '36'], ['terms', 'on'], ['password', 'correct horse'],
  ['address.street', '12 Analytical Row'], ['address.city', 'London'], ['address.zip', 'N1 9GU'], ['address.country', 'UK'],
  ...['react', 'vite', 'node'].map((topic): [string, string] => ['topics[]', topic]),
  ...Array.from({ length: 5 }, (_, i): Array<[string, string]> => [[`phones[${i}].label`, 'home'], [`phones[${i}].number`, `+44 20 7946 09${i}0`]]).flat(),
]
const rows = Array.from({ length: 1000 }, (_, i): Array<[string, string]> => [[`rows[${i}].title`, `Row ${i}`], [`rows[${i}].qty`, String(i)], [`rows[${i}].note`, '']]).flat()
const tags = Array.from({ length: 1000 }, (_, i): [string, string] => ['tag', `t${i}`])
const cases = [makeCase(`sign-up form (${signUp.length} fields)`, signUp), makeCase('1 000 rows × 3 fields', rows), makeCase('1 000 repeated names', tags)]

const contenders = {
  floor: (c: Case) => {
    const map = new Map<string, unknown>()
    for (const [key, value] of c.form) map.set(key, value)
    return map
  },
  'use-server': (c: Case) => formDataToObject(c.form),
  // qs reads lists as values too, though its types say strings
  qs: (c: Case) => qs.parse(c.entries as Record<string, string>, { allowDots: true, depth: 32, arrayLimit: 10_000, parameterLimit: 100_000 }),
}

/** Microseconds per conversion: enough repetitions for ~50 ms, median of the rounds. */
function measure(run: (c: Case) => unknown, c: Case, reps: number): number {
  const start = performance.now()
  for (let i = 0; i < reps; i++) run(c)
  return ((performance.now() - start) * 1000) / reps
}

const rowsOut: Array<Record<string, string | number>> = []
const figure: Record<string, unknown> = {}
for (const c of cases) {
  const once = performance.now()
  for (let i = 0; i < 20; i++) contenders['use-server'](c) // warm-up
  const reps = Math.max(20, Math.round(50 / Math.max((performance.now() - once) / 20, 0.001)))
  const times: Record<string, number[]> = { floor: [], 'use-server': [], qs: [] }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(contenders)) times[name]!.push(measure(run, c, reps))
  }
  const [floor, ours, peer] = (['floor', 'use-server', 'qs'] as const).map((name) => median(times[name]!))
  rowsOut.push({ form: c.name, 'floor µs': round(floor!), 'use-server µs': round(ours!), 'qs µs': round(peer!), 'ours / floor': round(ours! / floor!), 'ours / qs': round(ours! / peer!) })
  figure[c.name] = { floorMicroseconds: floor, oursMicroseconds: ours, qsMicroseconds: peer }
}
printTable(`6. FormData → object (median of ${ROUNDS} alternating rounds)`, rowsOut)
saveFigure('forms', figure)
