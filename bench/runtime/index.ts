import autocannon from 'autocannon'
import { stringify } from 'devalue'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { run, startNodeServer, type RunningServer } from '../../test/vite/support/processes.js'
import { printTable, saveFigure } from '../lib/results.js'
import { median, round } from '../lib/stats.js'

// Throughput of the production server (`node dist/server/index.js`, built by the plugin) against
// the floor: a bare node:http server doing the same work. autocannon, 50 connections, ≥ 8 s per run,
// the two alternating twice per payload so machine noise hits both alike.

const app = fileURLToPath(new URL('./app/', import.meta.url))
const duration = Number(process.env.BENCH_DURATION ?? 8)
const connections = 50
const vite = join(createRequire(import.meta.url).resolve('vite/package.json'), '../bin/vite.js')

await run(process.execPath, [vite, 'build'], app)
const manifest = JSON.parse(readFileSync(join(app, 'dist/server/use-server-manifest.json'), 'utf8')) as Record<string, { export: string }>
const idOf = (name: string) => Object.entries(manifest).find(([, entry]) => entry.export === name)![0]

const records = Array.from({ length: 420 }, (_, i) => ({ id: i, title: `Record ${i}`, done: i % 3 === 0, tags: ['alpha', 'beta', `tag-${i % 7}`], score: i * 1.5, owner: { id: i % 11, name: `Owner ${i % 11}` } }))
const file = new File([new Uint8Array(1024 * 1024).fill(7)], 'upload.bin', { type: 'application/octet-stream' })
const uploadRequest = new Response(await multipartUpload())
const uploadBody = Buffer.from(await uploadRequest.arrayBuffer())

/** The multipart body the client runtime sends for `upload(file)`. */
async function multipartUpload(): Promise<FormData> {
  const { writeDevalue } = await import('../../packages/runtime/dist/codec/writeDevalue.js')
  const body = new FormData()
  body.set('$payload', writeDevalue([file], (value: object) => (value instanceof File ? ['File', [0, value.lastModified]] : undefined), 'args'))
  body.set('$0', file)
  return body
}

const payloads = [
  { name: 'add(1, 2)', ours: { path: `/_server/${idOf('add')}`, type: 'application/json', body: stringify([1, 2]) }, floor: { path: '/add', type: 'application/json', body: JSON.stringify([1, 2]) } },
  {
    name: `echo(${round(Buffer.byteLength(JSON.stringify(records)) / 1024, 0)} KB structured)`,
    ours: { path: `/_server/${idOf('echo')}`, type: 'application/json', body: stringify([records]) },
    floor: { path: '/echo', type: 'application/json', body: JSON.stringify(records) },
  },
  {
    name: 'upload(1 MB file)',
    ours: { path: `/_server/${idOf('upload')}`, type: uploadRequest.headers.get('content-type')!, body: uploadBody },
    floor: { path: '/upload', type: 'application/octet-stream', body: Buffer.from(await file.arrayBuffer()) },
  },
]

type Result = { requests: number; p50: number; p99: number; errors: number }
async function load(origin: string, request: { path: string; type: string; body: string | Buffer }): Promise<Result> {
  const result = await autocannon({ url: origin + request.path, method: 'POST', headers: { 'content-type': request.type }, body: request.body, connections, duration })
  return { requests: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx + result.timeouts }
}

const servers: Record<'ours' | 'floor', RunningServer> = {
  ours: await startNodeServer('dist/server/index.js', app, { NODE_ENV: 'production', USE_SERVER_KEY: Buffer.alloc(32, 1).toString('base64') }),
  floor: await startNodeServer(fileURLToPath(new URL('./floor.mjs', import.meta.url)), app),
}
const rows: Array<Record<string, string | number>> = []
try {
  for (const payload of payloads) {
    const results: Record<'ours' | 'floor', Result[]> = { ours: [], floor: [] }
    for (let round = 0; round < 2; round++) {
      for (const who of ['ours', 'floor'] as const) results[who].push(await load(servers[who].origin, payload[who]))
    }
    const summary = (who: 'ours' | 'floor') => ({
      requests: median(results[who].map((r) => r.requests)),
      p50: median(results[who].map((r) => r.p50)),
      p99: median(results[who].map((r) => r.p99)),
      errors: results[who].reduce((sum, r) => sum + r.errors, 0),
    })
    const ours = summary('ours')
    const floor = summary('floor')
    rows.push(
      { payload: payload.name, server: 'use-server production server', 'req/s': round(ours.requests, 0), 'p50 ms': ours.p50, 'p99 ms': ours.p99, errors: ours.errors, 'ours/floor req/s': round(ours.requests / floor.requests) },
      { payload: payload.name, server: 'node:http JSON (floor)', 'req/s': round(floor.requests, 0), 'p50 ms': floor.p50, 'p99 ms': floor.p99, errors: floor.errors, 'ours/floor req/s': '' },
    )
  }
} finally {
  await Promise.all([servers.ours.stop(), servers.floor.stop()])
}
printTable(`Runtime throughput: autocannon, ${connections} connections, ${duration} s per run, median of 2 alternating runs each`, rows)
saveFigure('runtime-throughput', { connections, duration, rows })
