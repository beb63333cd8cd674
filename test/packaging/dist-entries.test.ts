import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { useServer } from '@use-server/vite'
import { build, type Rollup } from 'vite'
import { afterAll, describe, expect, test } from 'vitest'
import { repoRoot } from '../vite/support/fixtures.js'
import { run } from '../vite/support/processes.js'

// The packages are bundled: one file per entry of the exports map, and modules that several
// entries reach in shared chunks. A module copied into two entries would have two states (two
// registries, two request contexts, two ServerFunctionError classes) in an app that imports both.

const runtimeDist = join(repoRoot, 'packages/runtime/dist')

/** The files an entry loads (itself and the chunks it imports, transitively), from their import statements. */
function filesOf(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen
  seen.add(file)
  const code = readFileSync(file, 'utf8')
  for (const [, specifier] of code.matchAll(/^(?:import|export)\b[^'"]*?from\s*"(\.{1,2}\/[^"]+)"/gm)) filesOf(resolve(dirname(file), specifier!), seen)
  for (const [, specifier] of code.matchAll(/\bimport\("(\.{1,2}\/[^"]+)"\)/g)) filesOf(resolve(dirname(file), specifier!), seen)
  return seen
}

/** The source modules a file of dist holds (none for a file of re-exports only, which has no map). */
function sourcesOf(file: string): string[] {
  if (!readFileSync(file, 'utf8').includes('//# sourceMappingURL=')) return []
  return (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources.map((source) => resolve(dirname(file), source))
}

describe('the bundled packages', () => {
  test.each(['runtime', 'transform', 'vite'])('%s: every source module is in one file of dist, whichever entries load it', (name) => {
    const dist = join(repoRoot, 'packages', name, 'dist')
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages', name, 'package.json'), 'utf8')) as { exports: Record<string, string | { default: string }> }
    const entries = Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [] : [join(dirname(dist), target.default)]))
    const files = new Set(entries.flatMap((entry) => [...filesOf(entry)]))
    const where = new Map<string, string[]>()
    for (const file of files) for (const source of sourcesOf(file)) where.set(source, [...(where.get(source) ?? []), file])
    expect([...where].filter(([, inFiles]) => inFiles.length > 1)).toEqual([])
    // Every source is ours, and every module of src/ that an entry reaches is there (none lost).
    expect([...where.keys()].every((source) => source.startsWith(join(repoRoot, 'packages', name, 'src/')))).toBe(true)
    expect(where.size).toBeGreaterThan(25)
  })

  test('the browser entry loads no module that only the server entries use', () => {
    const browser = new Set([...filesOf(join(runtimeDist, 'client/index.js'))].flatMap(sourcesOf))
    expect([...browser].filter((source) => /\/src\/(?:server|node|ssr|redis)\//.test(source))).toEqual([])
  })

  test('/server, /node, /ssr and /client imported in one process share one registry, one request context and one error class', async () => {
    const script = `
      const [server, node, ssr, client] = await Promise.all(${JSON.stringify(['server', 'node', 'ssr', 'client'].map((entry) => `@use-server/runtime/${entry}`))}.map((entry) => import(entry)))
      const { createRequire } = await import('node:module')
      const { createServer } = await import('node:http')
      const busboyLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('@fastify/busboy'))
      const loadedWithRuntime = busboyLoaded()
      // Registered through /server; called through /node's middleware and /ssr's handler (whose code is in other files).
      server.registerServerReference(async (a, b) => ({ sum: a + b, who: server.headers().get('x-who') }), 'shared_add', 'add')
      server.registerServerReference(async (file) => (await file.text()).toUpperCase(), 'shared_upload', 'upload')
      const middleware = node.createMiddleware()
      const http = createServer((req, res) => middleware(req, res, () => { res.statusCode = 404; res.end() }))
      await new Promise((done) => http.listen(0, '127.0.0.1', done))
      const origin = 'http://127.0.0.1:' + http.address().port
      // The client runtime makes the calls: JSON, then multipart (the form parser loads with the first form body).
      client.configure({ base: origin + '/_server', headers: { 'x-who': 'node' } })
      const viaNode = await client.createServerReference('shared_add', 'add')(2, 3)
      const uploaded = await client.createServerReference('shared_upload', 'upload')(new File(['hello'], 'a.txt'))
      http.close()
      const handle = ssr.createRequestHandler({ render: async () => new Response(server.headers().get('x-who')) })
      const { stringify } = await import('devalue')
      const viaSsr = await (await handle(new Request(origin + '/_server/shared_add', { method: 'POST', headers: { 'content-type': 'application/json', 'x-who': 'ssr' }, body: stringify([2, 3]) }))).text()
      const rendered = await (await handle(new Request(origin + '/page', { headers: { 'x-who': 'render' } }))).text()
      const sameError = client.ServerFunctionError === server.ServerFunctionError && client.isValidationError === server.isValidationError
      console.log(JSON.stringify({ viaNode, uploaded, viaSsr, rendered, sameError, loadedWithRuntime, loadedForForm: busboyLoaded() }))
    `
    const output = await run(process.execPath, ['--input-type=module', '-e', script], repoRoot)
    const result = JSON.parse(output.trim().split('\n').pop()!)
    expect(result).toMatchObject({ viaNode: { sum: 5, who: 'node' }, uploaded: 'HELLO', rendered: 'render', sameError: true })
    expect(result.viaSsr).toMatch(/\b5\b/)
    expect(result.viaSsr).toContain('ssr')
    // Most apps' calls are JSON: the multipart parser is not loaded with the runtime, but with the first form body.
    expect(result).toMatchObject({ loadedWithRuntime: false, loadedForForm: true })
  })
})

describe('a page built from the bundled client runtime', () => {
  const root = mkdtempSync(join(tmpdir(), 'use-server-client-bundle-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  /** The page's client bundle, unminified, for `main` calling the functions of a 'use server' module. */
  async function pageBundle(name: string, main: string): Promise<string> {
    const dir = join(root, name)
    mkdirSync(join(dir, 'src'), { recursive: true })
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/src/main.ts"></script>')
    writeFileSync(join(dir, 'src/actions.ts'), "'use server'\nexport async function add(a: number, b: number) {\n  return a + b\n}\n")
    writeFileSync(join(dir, 'src/main.ts'), main)
    const output = (await build({ root: dir, configFile: false, logLevel: 'silent', plugins: [useServer({ embeddedServer: false })], build: { write: false, minify: false } })) as Rollup.RollupOutput
    return output.output.flatMap((file) => (file.type === 'chunk' ? [file.code] : [])).join('\n')
  }

  // One file holds the whole client runtime: what a page does not use must still go, statements
  // that set up a page-wide state included.
  test('leaves out the query cache and the revalidation stream when the page uses neither', async () => {
    const plain = await pageBundle('plain', "import { add } from './actions'\nadd(1, 2).then((sum) => document.body.append(String(sum)))\n")
    expect(plain).toContain('createServerReference')
    expect(plain).not.toMatch(/use-server\.queries|use-server\.events/)
    const withQueries = await pageBundle('queries', "import { query, connectRevalidations } from '@use-server/runtime/client'\nimport { add } from './actions'\nquery(add, 1, 2).subscribe(() => {})\nconnectRevalidations()\n")
    expect(withQueries).toMatch(/use-server\.queries/)
    expect(withQueries).toMatch(/use-server\.events/)
  }, 60_000)
})
