import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus } from 'node:os'

const latest = new URL('../results/latest.json', import.meta.url)

/** Merges one figure into bench/results/latest.json, stamped with the date and the machine. */
export function saveFigure(name: string, figure: unknown): void {
  let all: Record<string, unknown> = {}
  try {
    all = JSON.parse(readFileSync(latest, 'utf8'))
  } catch {
    // first figure of a fresh checkout
  }
  all[name] = {
    date: new Date().toISOString(),
    machine: { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
    ...(figure as object),
  }
  mkdirSync(new URL('.', latest), { recursive: true })
  writeFileSync(latest, JSON.stringify(all, null, 2) + '\n')
}

/** Prints rows as an aligned table. */
export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
  console.log(`\n${title}`)
  console.table(rows)
}
