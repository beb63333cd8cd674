import autocannon from 'autocannon'
import { readFileSync } from 'node:fs'
import { median } from './stats.js'

// Load generation shared by the runtime and peers figures: autocannon in this process, the request a
// browser's fetch() sends, and the server's own CPU time per answered call (from /proc, so a busy
// machine shows in req/s but hardly in CPU per call).

/**
 * The headers Chromium sends with a same-origin `fetch(url, { method: 'POST', body, headers })` from a
 * page of `origin` (captured from Chromium 156; Host, Connection and Content-Length are autocannon's).
 */
export function browserHeaders(origin: string, contentType: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'sec-ch-ua-platform': '"Linux"',
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
    'sec-ch-ua': '"Not:A-Brand";v="8", "Chromium";v="156"',
    'content-type': contentType,
    'sec-ch-ua-mobile': '?0',
    accept: '*/*',
    origin,
    'sec-fetch-site': 'same-origin',
    'sec-fetch-mode': 'cors',
    'sec-fetch-dest': 'empty',
    referer: `${origin}/`,
    'accept-encoding': 'gzip, deflate, br, zstd',
    'accept-language': 'en-US,en;q=0.9',
    ...extra,
  }
}

export interface LoadRequest {
  url: string
  headers: Record<string, string>
  body: string | Buffer
}

export interface LoadResult {
  requests: number
  /** Requests per second. */
  rate: number
  p50: number
  p99: number
  errors: number
  /** The server's CPU time (user + system) per answered call, in µs; NaN where /proc is missing. */
  cpuPerCall: number
}

/** Loads a server for `duration` seconds (or `amount` requests) with `connections` connections. */
export async function load(pid: number, request: LoadRequest, options: { connections: number; duration?: number; amount?: number }): Promise<LoadResult> {
  const before = cpuMs(pid)
  const started = performance.now()
  const result = await autocannon({ url: request.url, method: 'POST', headers: request.headers, body: request.body, connections: options.connections, ...(options.amount ? { amount: options.amount } : { duration: options.duration }) })
  const cpu = cpuMs(pid) - before
  const seconds = (performance.now() - started) / 1000
  const answered = result.requests.total
  return {
    requests: answered,
    rate: options.amount ? answered / seconds : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    cpuPerCall: answered > 0 ? (cpu * 1000) / answered : NaN,
  }
}

/** Runs of one contender as one row: the medians, and every error. */
export function summarize(results: LoadResult[]): { rate: number; p50: number; p99: number; cpu: number; errors: number } {
  return {
    rate: median(results.map((r) => r.rate)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    cpu: median(results.map((r) => r.cpuPerCall)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  }
}

const ticksPerSecond = 100 // USER_HZ on Linux

/** CPU time (user + system) a process and its live children used so far, in ms; NaN where /proc is missing. */
export function cpuMs(pid: number): number {
  try {
    // the fields after the command (which may hold spaces) start after its closing parenthesis
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    const own = ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond
    return childrenOf(pid).reduce((sum, child) => sum + cpuMs(child), own)
  } catch {
    return NaN
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
}

/** A process's resident memory in MB (with its children's, for servers that fork workers); NaN where /proc is missing. */
export function rssMb(pid: number): number {
  try {
    const own = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024
    return childrenOf(pid).reduce((sum, child) => sum + rssMb(child), own)
  } catch {
    return NaN
  }
}
