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
const times = { without: [] as number[], with: [] as number[] }
for (let i = 0; i < runs; i++) {
  times.without.push(build('vite.without-plugin.config.ts'))
  times.with.push(build('vite.with-plugin.config.ts'))
}

const without = median(times.without)
const withPlugin = median(times.with)
const rows = [
  { build: 'vite build without the plugin (client only)', 'median ms': round(without, 0), runs: times.without.map((t) => round(t, 0)).join(' ') },
  { build: 'vite build with the plugin (client + server)', 'median ms': round(withPlugin, 0), runs: times.with.map((t) => round(t, 0)).join(' ') },
]
printTable(`vite build of a generated app: ${app.modules} modules, ${app.serverModules} 'use server' modules; ratio with/without = ${round(withPlugin / without)}`, rows)
saveFigure('build-overhead', { modules: app.modules, serverModules: app.serverModules, runs, withoutMs: without, withMs: withPlugin, ratio: round(withPlugin / without), rows })
