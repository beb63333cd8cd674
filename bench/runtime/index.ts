import { stringify } from 'devalue'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { run, startNodeServer, type RunningServer } from '../../test/vite/support/processes.js'
import { browserHeaders, load, rssMb, summarize, type LoadResult } from '../lib/load.js'
import { printTable, saveFigure } from '../lib/results.js'
import { round } from '../lib/stats.js'
import { asSent, records, recordsLabel, uploadFile } from './payloads.js'

// Throughput of the production server (`node dist/server/index.js`, built by the plugin) against
// the floor: a bare node:http server doing the same work. Every request is what the browser sends
// (Chromium's headers for a same-origin fetch, Origin included, and the client runtime's body).
// autocannon in this process, ours and the floor alternating twice per payload so machine noise
// hits both alike; the servers' own CPU time per call is read from /proc. Then each, fresh, answers
// 100 000 calls, and its resident memory is read.

const app = fileURLToPath(new URL('./app/', import.meta.url))
const duration = Number(process.env.BENCH_DURATION ?? 8)
const memoryCalls = Number(process.env.BENCH_MEMORY_CALLS ?? 100_000)
const vite = join(createRequire(import.meta.url).resolve('vite/package.json'), '../bin/vite.js')

await run(process.execPath, [vite, 'build'], app)
const manifest = JSON.parse(readFileSync(join(app, 'dist/server/use-server-manifest.json'), 'utf8')) as Record<string, { export: string }>
const idOf = (name: string) => Object.entries(manifest).find(([, entry]) => entry.export === name)![0]

/** What the client runtime sends for `upload(file)`: multipart, the arguments in `$payload`, the file as part `$0`. */
async function uploadBody() {
  const { writeDevalue } = await import('../../packages/runtime/src/codec/writeDevalue.js')
  const form = new FormData()
  form.set('$payload', writeDevalue([uploadFile], (value: object) => (value instanceof File ? ['File', [0, value.lastModified]] : undefined), 'args'))
  form.set('$0', uploadFile)
  return asSent(form)
}
const upload = await uploadBody()

type Who = 'ours' | 'floor'
interface Payload {
  name: string
  connections: number
  requests: Record<Who, { path: string; type: string; body: string | Buffer }>
}
const json = 'application/json'
const payloads: Payload[] = [
  { name: 'add(1, 2)', connections: 50, requests: { ours: { path: `/_server/${idOf('add')}`, type: json, body: stringify([1, 2]) }, floor: { path: '/add', type: json, body: JSON.stringify([1, 2]) } } },
  { name: recordsLabel, connections: 50, requests: { ours: { path: `/_server/${idOf('echo')}`, type: json, body: stringify([records]) }, floor: { path: '/echo', type: json, body: JSON.stringify(records) } } },
  {
    name: 'upload(1 MB file)',
    connections: 50,
    requests: { ours: { path: `/_server/${idOf('upload')}`, ...upload }, floor: { path: '/upload', type: 'application/octet-stream', body: Buffer.from(await uploadFile.arrayBuffer()) } },
  },
  { name: 'slow() (awaits 5 ms)', connections: 200, requests: { ours: { path: `/_server/${idOf('slow')}`, type: json, body: stringify([]) }, floor: { path: '/slow', type: json, body: '[]' } } },
]

const start: Record<Who, () => Promise<RunningServer>> = {
  ours: () => startNodeServer('dist/server/index.js', app, { NODE_ENV: 'production', USE_SERVER_KEY: Buffer.alloc(32, 1).toString('base64') }),
  floor: () => startNodeServer(fileURLToPath(new URL('./floor.mjs', import.meta.url)), app),
}
const request = (server: RunningServer, sent: Payload['requests'][Who]) => ({ url: server.origin + sent.path, headers: browserHeaders(server.origin, sent.type), body: sent.body })

const rows: Array<Record<string, string | number>> = []
const servers = { ours: await start.ours(), floor: await start.floor() }
try {
  for (const payload of payloads) {
    const results: Record<Who, LoadResult[]> = { ours: [], floor: [] }
    for (let round = 0; round < 2; round++) {
      for (const who of ['ours', 'floor'] as const) results[who].push(await load(servers[who].child.pid!, request(servers[who], payload.requests[who]), { connections: payload.connections, duration }))
    }
    const summary = (who: Who) => summarize(results[who])
    const ours = summary('ours')
    const floor = summary('floor')
    const row = (server: string, s: typeof ours, ratio: number | string, cpuRatio: number | string) => ({
      payload: `${payload.name}, ${payload.connections} conn.`,
      server,
      'req/s': round(s.rate, 0),
      'p50 ms': s.p50,
      'p99 ms': s.p99,
      'CPU µs/call': round(s.cpu, 0),
      errors: s.errors,
      'ours/floor req/s': ratio,
      'floor/ours CPU': cpuRatio,
    })
    rows.push(row('use-server production server', ours, round(ours.rate / floor.rate), round(floor.cpu / ours.cpu)), row('node:http JSON (floor)', floor, '', ''))
  }
} finally {
  await Promise.all([servers.ours.stop(), servers.floor.stop()])
}
printTable(`Runtime throughput: autocannon, ${duration} s per run, median of 2 alternating runs each, browser headers`, rows)

// Memory: a fresh server of each, its resident memory at start and after `memoryCalls` calls of add(1, 2).
const memory: Array<Record<string, string | number>> = []
for (const who of ['ours', 'floor'] as const) {
  const server = await start[who]()
  try {
    const atStart = rssMb(server.child.pid!)
    const result = await load(server.child.pid!, request(server, payloads[0]!.requests[who]), { connections: 50, amount: memoryCalls })
    await new Promise((resolve) => setTimeout(resolve, 1000))
    memory.push({ server: who === 'ours' ? 'use-server production server' : 'node:http JSON (floor)', 'RSS at start MB': round(atStart, 1), [`RSS after ${memoryCalls} calls MB`]: round(rssMb(server.child.pid!), 1), errors: result.errors })
  } finally {
    await server.stop()
  }
}
printTable(`Resident memory: a fresh server, ${memoryCalls} calls of add(1, 2) at 50 connections, read 1 s after the last`, memory)
saveFigure('runtime-throughput', { duration, headers: 'Chromium 156 same-origin fetch', rows, memoryCalls, memory })
