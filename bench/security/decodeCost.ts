import { handleServerFunction, registerServerReference } from '@use-server/runtime/server'
import { printTable, saveFigure } from '../lib/results.js'
import { median, round } from '../lib/stats.js'

// What one request can cost the server under the default limits (1 MB body, 100 000 values, 1 000
// parts, 100 server functions): the handler's CPU time (process.cpuUsage: decoding, and the call of a
// function that only counts its arguments) for the costliest bodies found, each the largest that fits
// the limit, beside a floor in the same run: `JSON.parse` of a JSON body, the platform's
// `Request.formData()` (undici) of a multipart one. The median of 7 after 3 warm-ups, in this
// process, on the built runtime; a refused body is timed up to its refusal. Run `npx -y pnpm@10 build` first.

const LIMIT = 1024 * 1024
const options = { dev: false, key: Buffer.alloc(32, 5).toString('base64') }
registerServerReference(async (...args: unknown[]) => args.length, 'bench-count', 'count')
// Seals what it is given, as a function that returns a closure over its argument does.
const vaultItem = registerServerReference(async (owner: unknown, item?: unknown) => [owner, item].length, 'bench-vault-item', 'vaultItem', 1)
registerServerReference(async (owner: unknown) => vaultItem.bind(null, owner), 'bench-vault', 'vault')

async function call(id: string, body: string, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  const request = new Request(`http://bench.test/_server/${id}`, { method: 'POST', body, headers: { 'content-type': contentType } })
  const response = await handleServerFunction(request, options)
  return { status: response.status, text: await response.text() }
}

/** The largest body `make(n)` that fits the limit. */
function fit(make: (n: number) => unknown): string {
  let low = 1
  let high = 300_000
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (JSON.stringify(make(middle)).length <= LIMIT - 64) low = middle
    else high = middle - 1
  }
  return JSON.stringify(make(low))
}

/** Flat devalue values whose root is the argument list `[built]`. */
function flat(build: (add: (value: unknown) => number) => number): unknown[] {
  const values: unknown[] = [null]
  values[0] = [build((value) => values.push(value) - 1)]
  return values
}

const multipart = (parts: string[]) => parts.join('') + '--B--\r\n'
const payloadPart = '--B\r\nContent-Disposition: form-data; name="$payload"\r\n\r\n[[]]\r\n'

const tokenIn = (text: string) => (JSON.parse(text) as unknown[]).reduce<string>((longest, v) => (typeof v === 'string' && v.length > longest.length ? v : longest), '')
/** References to the token sealed at index `sealed`, as many as asked. */
const vaultItems = (add: (value: unknown) => number, sealed: number, count: number) =>
  add(Array.from({ length: count }, () => add(['ServerReference', add({ id: add('bench-vault-item'), token: sealed })])))

/** A token that holds 100 references to a token that holds 100 references… `depth` deep. */
async function nestedToken(depth: number): Promise<string> {
  let token = tokenIn((await call('bench-vault', '[[1],"alice"]')).text)
  for (let level = 0; level < depth; level++) {
    token = tokenIn((await call('bench-vault', JSON.stringify(flat((add) => vaultItems(add, add(token), 100))))).text)
  }
  return token
}

const deepToken = await nestedToken(3)
const bigToken = tokenIn((await call('bench-vault', JSON.stringify([[1], 'x'.repeat(560_000)]))).text)
const ownShapes = (n: number, keys: string[]) =>
  flat((add) => add(Array.from({ length: n }, (_, i) => add(Object.fromEntries(keys.map((key) => [`${key}${i}`, -1]))))))
const MULTIPART = 'multipart/form-data; boundary=B'
const longHeaders = `--B\r\nContent-Disposition: form-data; name="$1"; filename="f"${'; a=b'.repeat(180)}\r\n\r\n\r\n`

const bodies: Array<[string, string, string?]> = [
  ['one object of n keys', fit((n) => [[1], Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 2])), 0])],
  ['n objects of 4 keys, each its own shape', fit((n) => ownShapes(n, ['a', 'b', 'c', 'd']))],
  ['n objects of 1 key, each its own shape', fit((n) => ownShapes(n, ['k']))],
  ['null-prototype objects, n keys in all', fit((n) => flat((add) => add(Array.from({ length: n }, (_, i) => add(['null', `k${i}`, -1])))))],
  ['a Map of n entries', fit((n) => flat((add) => add(['Map', ...Array.from({ length: n }, (_, i) => [add(i), -1]).flat()])))],
  ['a FormData of n entries', fit((n) => [[1], ['FormData', 2], Array(n).fill(3), [4, 4], 'a'])],
  ['a sparse array of 10^6 with n values', fit((n) => [[1], [-7, 1_000_000, ...Array.from({ length: n }, (_, i) => [i, -1]).flat()]])],
  ['a URL with a 1 MB internationalised host', JSON.stringify([[1], ['URL', `http://${'ä.'.repeat(LIMIT / 5)}com/`]])],
  ['100 references to one 750 KB token', JSON.stringify(flat((add) => vaultItems(add, add(bigToken), 100)))],
  ['one reference to a token 100 × 100 × 100 references deep', JSON.stringify(flat((add) => vaultItems(add, add(deepToken), 1)))],
  ['1 000 parts with 180 parameters each', multipart([payloadPart, ...Array(999).fill(longHeaders)]), MULTIPART],
  ['1 MB of parts the parser skips (refused)', multipart([payloadPart, '--B\r\n\r\n\r\n'.repeat(Math.floor((LIMIT - 200) / 9))]), MULTIPART],
]

/** CPU ms of `work`: the median of 7 runs after 3 warm-ups. */
async function cpuOf(work: () => Promise<unknown>): Promise<number> {
  const cpu: number[] = []
  for (let run = 0; run < 10; run++) {
    const before = process.cpuUsage()
    await work()
    const used = process.cpuUsage(before)
    if (run >= 3) cpu.push((used.user + used.system) / 1000)
  }
  return median(cpu)
}

const rows = []
for (const [name, body, contentType] of bodies) {
  const { status } = await call('bench-count', body, contentType)
  const ours = await cpuOf(() => call('bench-count', body, contentType))
  const floor = await cpuOf(async () => (contentType ? new Request('http://bench.test/', { method: 'POST', body, headers: { 'content-type': contentType } }).formData().catch(() => undefined) : JSON.parse(body)))
  rows.push({ body: name, KB: Math.round(body.length / 1024), status, 'CPU ms': round(ours, 1), 'floor ms': round(floor, 1), ratio: round(ours / floor, 1) })
}
const worst = rows.reduce((a, b) => (b['CPU ms'] > a['CPU ms'] ? b : a))
printTable(`CPU per request under the default limits: worst ${worst['CPU ms']} ms (${worst.body})`, rows)
saveFigure('security-decode', { worstCpuMs: worst['CPU ms'], worstBody: worst.body, rows })
