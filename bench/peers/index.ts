import { stringify } from 'devalue'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../test/support/redisServer.js'
import { run, startServer, type RunningServer } from '../../test/vite/support/processes.js'
import { browserHeaders, load, rssMb, summarize, type LoadResult } from '../lib/load.js'
import { printTable, saveFigure } from '../lib/results.js'
import { round } from '../lib/stats.js'
import { records, recordsLabel, uploadFile } from '../runtime/payloads.js'
import { captureCalls, FUNCTIONS, launchChromium, type CapturedCall, type FunctionName } from './browserCalls.js'

// Peers in the same run: the same four server functions in Next.js 15 (App Router, `next start`) and
// in the @vitejs/plugin-rsc starter (`vite preview`), beside use-server's production server and the
// bare node:http floor. The peers are installed from the npm registry into a scratch folder outside
// the workspace (never its lockfile) and built there. Each framework's own client, in Chromium,
// calls every function once: the answers are checked, and the requests it sent are what the load
// generator replays. The four servers take turns, twice per call, as in the runtime figure; then
// each, fresh, answers 100 000 calls of add(1, 2) and its resident memory is read.

const bench = fileURLToPath(new URL('..', import.meta.url))
const repo = join(bench, '..')
const scratch = process.env.BENCH_PEERS_DIR ?? join(tmpdir(), 'use-server-bench-peers')
if (!relative(repo, scratch).startsWith('..')) throw new Error(`BENCH_PEERS_DIR must be outside the workspace (${repo}), not ${scratch}`)
const duration = Number(process.env.BENCH_DURATION ?? 8)
const memoryCalls = Number(process.env.BENCH_MEMORY_CALLS ?? 100_000)
const ours = join(bench, 'runtime/app')
const vite = join(createRequire(import.meta.url).resolve('vite/package.json'), '../bin/vite.js')

type Who = 'floor' | 'ours' | 'next' | 'rsc'
const NAMES: Record<Who, string> = { floor: 'node:http JSON (floor)', ours: 'use-server', next: 'Next.js 15', rsc: '@vitejs/plugin-rsc starter' }

/** A peer app copied from bench/peers/apps into the scratch folder, installed (again only when its package.json changed) and built. */
async function preparePeer(name: 'next' | 'rsc'): Promise<string> {
  const root = join(scratch, name)
  mkdirSync(root, { recursive: true })
  cpSync(fileURLToPath(new URL(`./apps/${name}/`, import.meta.url)), root, { recursive: true })
  cpSync(fileURLToPath(new URL('./apps/actions.js', import.meta.url)), join(root, name === 'next' ? 'app/actions.js' : 'src/actions.js'))
  const manifest = readFileSync(join(root, 'package.json'), 'utf8')
  const stamp = join(root, 'node_modules/.bench-installed')
  const hash = createHash('sha256').update(manifest).digest('hex')
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
    console.log(`Installing ${NAMES[name]} into ${root} (npm, from the registry)…`)
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--registry=https://registry.npmjs.org/'], root)
    writeFileSync(stamp, hash)
  }
  console.log(`Building ${NAMES[name]}…`)
  await run('npm', ['run', 'build'], root, { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' })
  return root
}

const roots: Partial<Record<Who, string>> = {}
const key = Buffer.alloc(32, 1).toString('base64')
async function start(who: Who): Promise<RunningServer> {
  const port = String(await freePort())
  const env = { NODE_ENV: 'production', PORT: port, HOST: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1' }
  const at = new RegExp(`(http://(?:127\\.0\\.0\\.1|localhost):${port})`)
  switch (who) {
    case 'floor':
      return startServer(process.execPath, [join(bench, 'runtime/floor.mjs')], ours, env)
    case 'ours':
      return startServer(process.execPath, ['dist/server/index.js'], ours, { ...env, USE_SERVER_KEY: key })
    case 'next':
      return startServer(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', port, '-H', '127.0.0.1'], roots.next!, env, at, () => `http://127.0.0.1:${port}`)
    case 'rsc':
      return startServer(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--port', port, '--host', '127.0.0.1', '--strictPort'], roots.rsc!, env, at, () => `http://127.0.0.1:${port}`)
  }
}

/** The floor has no browser client: the JSON a fetch() would send, with Chromium's headers. */
async function floorCalls(origin: string): Promise<Record<FunctionName, CapturedCall>> {
  const json = (path: string, body: string) => ({ path, headers: browserHeaders(origin, 'application/json'), body: Buffer.from(body) })
  return {
    add: json('/add', JSON.stringify([1, 2])),
    echo: json('/echo', JSON.stringify(records)),
    upload: { path: '/upload', headers: browserHeaders(origin, 'application/octet-stream'), body: Buffer.from(await uploadFile.arrayBuffer()) },
    slow: json('/slow', '[]'),
  }
}

mkdirSync(scratch, { recursive: true })
roots.next = await preparePeer('next')
roots.rsc = await preparePeer('rsc')
console.log('Building use-server…')
await run(process.execPath, [vite, 'build'], ours)

const contenders: Who[] = ['floor', 'ours', 'next', 'rsc']
const servers = {} as Record<Who, RunningServer>
const calls = {} as Record<Who, Record<FunctionName, CapturedCall>>
const browser = await launchChromium()
try {
  for (const who of contenders) servers[who] = await start(who)
  calls.floor = await floorCalls(servers.floor.origin)
  for (const who of ['ours', 'next', 'rsc'] as const) calls[who] = await captureCalls(browser, servers[who].origin, NAMES[who])
} finally {
  await browser.close()
}
console.log(`Every answer checked; ${NAMES.ours} sends ${stringify([1, 2])} for add(1, 2), Next.js ${calls.next.add.body}, plugin-rsc ${calls.rsc.add.body}.`)

const LABELS: Record<FunctionName, string> = { add: 'add(1, 2)', echo: recordsLabel, upload: 'upload(1 MB file)', slow: 'slow() (awaits 5 ms)' }
const CONNECTIONS: Record<FunctionName, number> = { add: 50, echo: 50, upload: 50, slow: 200 }
/** A captured call sent to `server` (a fresh one listens elsewhere: its origin replaces the one the browser saw). */
function replay(who: Who, name: FunctionName, server = servers[who]) {
  const call = calls[who][name]
  const seen = servers[who].origin
  const headers = Object.fromEntries(Object.entries(call.headers).map(([header, value]) => [header, value.split(seen).join(server.origin)]))
  return { url: server.origin + call.path, headers, body: call.body }
}

const rows: Array<Record<string, string | number>> = []
try {
  for (const name of FUNCTIONS) {
    const results = Object.fromEntries(contenders.map((who) => [who, [] as LoadResult[]])) as Record<Who, LoadResult[]>
    for (let round = 0; round < 2; round++) {
      for (const who of contenders) results[who].push(await load(servers[who].child.pid!, replay(who, name), { connections: CONNECTIONS[name], duration }))
    }
    const summary = (who: Who) => summarize(results[who])
    const floor = summary('floor')
    const mine = summary('ours')
    for (const who of contenders) {
      const s = summary(who)
      rows.push({
        call: `${LABELS[name]}, ${CONNECTIONS[name]} conn.`,
        server: NAMES[who],
        'req/s': round(s.rate, 0),
        'p50 ms': s.p50,
        'p99 ms': s.p99,
        'CPU µs/call': round(s.cpu, 0),
        errors: s.errors,
        '÷ floor req/s': round(s.rate / floor.rate),
        'use-server ÷ this, req/s': who === 'ours' || who === 'floor' ? '' : round(mine.rate / s.rate, 1),
      })
    }
  }
} finally {
  await Promise.all(contenders.map((who) => servers[who].stop()))
}
printTable(`Peers: autocannon, ${duration} s per run, median of 2 alternating runs each; each framework's request as its browser client sends it`, rows)

const memory: Array<Record<string, string | number>> = []
for (const who of contenders) {
  const server = await start(who)
  try {
    const atStart = rssMb(server.child.pid!)
    const result = await load(server.child.pid!, replay(who, 'add', server), { connections: 50, amount: memoryCalls })
    await new Promise((resolve) => setTimeout(resolve, 1000))
    memory.push({ server: NAMES[who], 'RSS at start MB': round(atStart, 1), [`RSS after ${memoryCalls} calls MB`]: round(rssMb(server.child.pid!), 1), 'req/s': round(result.rate, 0), errors: result.errors })
  } finally {
    await server.stop()
  }
}
printTable(`Resident memory: a fresh server of each, ${memoryCalls} calls of add(1, 2) at 50 connections, read 1 s after the last`, memory)

const versions = Object.fromEntries(
  (['next', 'rsc'] as const).map((who) => {
    const pkg = who === 'next' ? 'next' : '@vitejs/plugin-rsc'
    return [pkg, (JSON.parse(readFileSync(join(roots[who]!, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version]
  }),
)
console.log('Versions:', versions)
saveFigure('peers', { duration, versions, rows, memoryCalls, memory })
