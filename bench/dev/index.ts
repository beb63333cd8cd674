import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { run } from '../../test/vite/support/processes.js'
import { printTable, saveFigure } from '../lib/results.js'
import { scratchDir } from '../lib/scratch.js'
import { median, round } from '../lib/stats.js'

// Development, as a person lives it: from starting `vite` to the first answered call (the browser
// loads the 'use server' module, then calls it), and from saving an edited function to the next
// call answering with the new code. The floors are the same steps without server functions: start
// to the first module served, and save to the edited module served anew.

const rounds = Number(process.env.BENCH_DEV_ROUNDS ?? 3)
const fixture = fileURLToPath(new URL('../../fixtures/apps/spa/', import.meta.url))
const scratch = scratchDir('dev')

/** One session in its own plain Node process (see session.mjs). */
async function session(withPlugin: boolean, n: number): Promise<{ firstAnswer: number; edit: number }> {
  const root = join(scratch, `${withPlugin ? 'with' : 'without'}-${n}`)
  cpSync(fixture, root, { recursive: true, filter: (path) => !path.includes('dist') })
  const output = await run(process.execPath, [fileURLToPath(new URL('./session.mjs', import.meta.url)), root, withPlugin ? 'with' : 'without'], fileURLToPath(new URL('.', import.meta.url)))
  return JSON.parse(output.trim().split('\n').pop()!)
}

const results = { with: [] as Array<{ firstAnswer: number; edit: number }>, without: [] as Array<{ firstAnswer: number; edit: number }> }
await session(false, -1) // warm the file system and Node's module cache
for (let n = 0; n < rounds; n++) {
  results.without.push(await session(false, n))
  results.with.push(await session(true, n))
}
const m = (who: 'with' | 'without', key: 'firstAnswer' | 'edit') => round(median(results[who].map((r) => r[key])), 0)
const rows = [
  { step: 'start → first answer', 'use-server (ms)': m('with', 'firstAnswer'), 'floor (ms)': m('without', 'firstAnswer'), ratio: round(m('with', 'firstAnswer') / m('without', 'firstAnswer')) },
  { step: 'save → new code answers', 'use-server (ms)': m('with', 'edit'), 'floor (ms)': m('without', 'edit'), ratio: round(m('with', 'edit') / m('without', 'edit')) },
]
printTable(`Development server, median of ${rounds} alternating sessions (floor: the same steps serving the module without server functions)`, rows)
saveFigure('dev', { rounds, rows })
