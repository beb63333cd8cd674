import fc from 'fast-check'
import { gadgetCall, hostileBody, type HostileBody } from '../../test/security/fuzz/hostileBodies.js'
import { createInProcessTarget } from '../../test/security/fuzz/inProcessTarget.js'
import { judgeAnswer } from '../../test/security/fuzz/judgeAnswer.js'
import { printTable, saveFigure } from '../lib/results.js'
import { round } from '../lib/stats.js'

// The security suite's fuzzer at volume: 100 000 random and mutated bodies against the handler in
// this process (the built runtime), with the suite's rules: no 5xx, an answer within 1 s,
// well-formed calls echoed exactly, no pollution, no server function called by the language on its
// own (an `await`, a string or number conversion, JSON), no rejection left unhandled.
// Run `npx -y pnpm@10 build` first; BENCH_FUZZ_RUNS and BENCH_FUZZ_SEED change the run.

const runs = Number(process.env.BENCH_FUZZ_RUNS ?? 100_000)
const seed = Number(process.env.BENCH_FUZZ_SEED ?? Date.now() % 2 ** 31)
const target = await createInProcessTarget()
interface KindFigures {
  cases: number
  statuses: Map<number, number>
  ms: number[]
}
const byKind = new Map<HostileBody['kind'], KindFigures>()

const start = performance.now()
await fc.assert(
  fc.asyncProperty(fc.oneof({ arbitrary: hostileBody, weight: 9 }, { arbitrary: gadgetCall({ record: 'fuzz-record', reject: 'fuzz-reject' }), weight: 1 }), async (body) => {
    const answer = await target.send(body)
    judgeAnswer(body, answer)
    await target.check()
    const kind: KindFigures = byKind.get(body.kind) ?? { cases: 0, statuses: new Map(), ms: [] }
    byKind.set(body.kind, kind)
    kind.cases++
    kind.statuses.set(answer.status, (kind.statuses.get(answer.status) ?? 0) + 1)
    kind.ms.push(answer.ms)
  }),
  { numRuns: runs, seed },
)
const seconds = (performance.now() - start) / 1000

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
const rows = [...byKind].map(([kind, { cases, statuses, ms }]) => {
  const sorted = ms.sort((a, b) => a - b)
  return {
    kind,
    cases,
    statuses: [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' '),
    'p50 ms': round(percentile(sorted, 0.5), 3),
    'p99 ms': round(percentile(sorted, 0.99), 3),
    'max ms': round(sorted.at(-1) ?? 0, 1),
  }
})
const cases = rows.reduce((sum, row) => sum + row.cases, 0)
printTable(`fuzz: ${cases} cases in ${round(seconds, 1)} s (${Math.round(cases / seconds)} cases/s), seed ${seed}: no 5xx, none over 1 s, every well-formed call echoed, nothing polluted, nothing called on its own, no rejection unhandled`, rows)
saveFigure('security-fuzz', { cases, seconds: round(seconds, 1), casesPerSecond: Math.round(cases / seconds), seed, failures: 0, rows })
