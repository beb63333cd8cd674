import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { printTable, saveFigure } from '../lib/results.js'
import { scratchDir } from '../lib/scratch.js'
import { median, round } from '../lib/stats.js'
import { generateApp } from './generateApp.js'

// `vite build` of a generated app with and without the plugin, alternating the two so machine
// noise hits both alike. With the plugin the build also produces the server (a second environment).
// Wall time is what a person waits; CPU time (every thread of the build's process) is less moved
// by the other work of a busy machine.

const runs = Number(process.env.BENCH_BUILD_RUNS ?? 3)
const root = scratchDir('build-overhead')
const app = generateApp(root)
const vite = join(createRequire(import.meta.url).resolve('vite/package.json'), '../bin/vite.js')

const reportCpu = fileURLToPath(new URL('./reportCpu.mjs', import.meta.url))
/** One `vite build`: wall time, and the CPU time of its process (all threads), in ms. */
const build = (config: string) => {
  const start = process.hrtime.bigint()
  const { stderr } = spawnSync(process.execPath, ['--import', pathToFileURL(reportCpu).href, vite, 'build', '--config', config], { cwd: root, encoding: 'utf8' })
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  const cpu = /bench-cpu-ms ([\d.]+)/.exec(stderr)
  if (!cpu) throw new Error(`vite build --config ${config} failed:\n${stderr}`)
  return { wall, cpu: Number(cpu[1]) }
}

build('vite.without-plugin.config.ts') // warm the file system cache and Node's compile cache
const contenders = {
  'without the plugin (the floor)': 'vite.without-plugin.config.ts',
  'with the plugin, client only (embeddedServer: false)': 'vite.client-only.config.ts',
  'with the plugin, client + standalone server': 'vite.with-plugin.config.ts',
}
const times: Record<string, Array<{ wall: number; cpu: number }>> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]))
for (let i = 0; i < runs; i++) for (const [name, config] of Object.entries(contenders)) times[name]!.push(build(config))

const medianOf = (name: string, key: 'wall' | 'cpu') => median(times[name]!.map((t) => t[key]))
const floor = 'without the plugin (the floor)'
const rows = Object.keys(times).map((name) => ({
  'vite build': name,
  'median ms': round(medianOf(name, 'wall'), 0),
  'ratio to floor': round(medianOf(name, 'wall') / medianOf(floor, 'wall')),
  'CPU ms': round(medianOf(name, 'cpu'), 0),
  'CPU ratio': round(medianOf(name, 'cpu') / medianOf(floor, 'cpu')),
  runs: times[name]!.map((t) => round(t.wall, 0)).join(' '),
}))
printTable(`vite build of a generated app: ${app.modules} modules, ${app.serverModules} 'use server' modules (median of ${runs}, alternating)`, rows)
saveFigure('build-overhead', { modules: app.modules, serverModules: app.serverModules, runs, rows })
