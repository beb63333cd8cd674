import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { printTable, saveFigure } from '../lib/results.js'
import { scratchDir } from '../lib/scratch.js'
import { median, round } from '../lib/stats.js'
import { generateApp } from './generateApp.js'

// `vite build` of a generated app with and without the plugin, alternating the two so machine
// noise hits both alike. With the plugin the build also produces the server (a second environment).

const runs = Number(process.env.BENCH_BUILD_RUNS ?? 3)
const root = scratchDir('build-overhead')
const app = generateApp(root)
const vite = join(createRequire(import.meta.url).resolve('vite/package.json'), '../bin/vite.js')

const build = (config: string) => {
  const start = process.hrtime.bigint()
  execFileSync(process.execPath, [vite, 'build', '--config', config], { cwd: root, stdio: 'pipe' })
  return Number(process.hrtime.bigint() - start) / 1e6
}

build('vite.without-plugin.config.ts') // warm the file system cache and Node's compile cache
const contenders = {
  'without the plugin (the floor)': 'vite.without-plugin.config.ts',
  'with the plugin, client only (embeddedServer: false)': 'vite.client-only.config.ts',
  'with the plugin, client + standalone server': 'vite.with-plugin.config.ts',
}
const times: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]))
for (let i = 0; i < runs; i++) for (const [name, config] of Object.entries(contenders)) times[name]!.push(build(config))

const floor = median(times['without the plugin (the floor)']!)
const rows = Object.entries(times).map(([name, values]) => ({
  'vite build': name,
  'median ms': round(median(values), 0),
  'ratio to floor': round(median(values) / floor),
  runs: values.map((t) => round(t, 0)).join(' '),
}))
printTable(`vite build of a generated app: ${app.modules} modules, ${app.serverModules} 'use server' modules (median of ${runs}, alternating)`, rows)
saveFigure('build-overhead', { modules: app.modules, serverModules: app.serverModules, runs, rows })
