import { useServer } from '@use-server/vite'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { build, type Rollup } from 'vite'
import { printTable, saveFigure } from '../lib/results.js'
import { scratchDir } from '../lib/scratch.js'

// What the browser downloads to call server functions, built by Vite (minified) from a one-function
// app, against react-server-dom-webpack's client (the runtime Next.js and @vitejs/plugin-rsc ship),
// built the same way with React itself left out, as both would share it.

const root = scratchDir('client-size')

function app(name: string, files: Record<string, string>): string {
  const dir = join(root, name)
  mkdirSync(join(dir, 'src'), { recursive: true })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body><script type="module" src="/src/main.ts"></script></body></html>')
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text)
  return dir
}

async function measure(dir: string, plugins: unknown[], external: string[] = []) {
  const output = (await build({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    plugins: plugins as never,
    // Vite's modulepreload polyfill (~0.5 KB gzipped) is the same for every app: left out of each figure.
    build: { write: false, modulePreload: { polyfill: false }, rollupOptions: { external } },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[]
  const chunks = (Array.isArray(output) ? output[0]! : output).output.filter((o): o is Rollup.OutputChunk => o.type === 'chunk')
  const code = chunks.map((c) => c.code).join('\n')
  return { minified: Buffer.byteLength(code), gzip: gzipSync(code).length, brotli: brotliCompressSync(code).length }
}

const ours = await measure(
  app('use-server', {
    'src/actions.ts': "'use server'\nexport async function add(a: number, b: number) {\n  return a + b\n}\n",
    'src/main.ts': "import { add } from './actions'\nadd(1, 2).then((sum) => document.body.append(String(sum)))\n",
  }),
  [useServer({ embeddedServer: false })],
)
const withQueries = await measure(
  app('use-server-queries', {
    'src/actions.ts': "'use server'\nexport async function add(a: number, b: number) {\n  return a + b\n}\nexport async function list() {\n  return [1, 2]\n}\n",
    'src/main.ts':
      "import { query } from '@use-server/runtime/client'\nimport { add, list } from './actions'\n" +
      "query(list).subscribe(({ value }) => document.body.append(String(value)))\nadd(1, 2).then((sum) => document.body.append(String(sum)))\n",
  }),
  [useServer({ embeddedServer: false })],
)
const withPush = await measure(
  app('use-server-push', {
    'src/actions.ts': "'use server'\nexport async function add(a: number, b: number) {\n  return a + b\n}\nexport async function list() {\n  return [1, 2]\n}\n",
    'src/main.ts':
      "import { connectRevalidations, query } from '@use-server/runtime/client'\nimport { add, list } from './actions'\nconnectRevalidations()\n" +
      "query(list).subscribe(({ value }) => document.body.append(String(value)))\nadd(1, 2).then((sum) => document.body.append(String(sum)))\n",
  }),
  [useServer({ embeddedServer: false })],
)
const rsdw = await measure(
  app('react-server-dom-webpack', {
    'src/main.ts':
      "import { createFromFetch, createServerReference, encodeReply } from 'react-server-dom-webpack/client.browser'\n" +
      "const callServer = async (id: string, args: unknown[]) => createFromFetch(fetch('/action', { method: 'POST', headers: { 'rsc-action': id }, body: await encodeReply(args) }))\n" +
      "const add = createServerReference('add', callServer)\nadd(1, 2).then((sum: unknown) => document.body.append(String(sum)))\n",
  }),
  [],
  ['react', 'react-dom'],
)

const rows = [
  { client: 'use-server client runtime (with codec) + one stub', ...ours },
  { client: 'the same with the query cache (query(), single flight, other tabs) + two stubs', ...withQueries },
  { client: 'the same + connectRevalidations() (pushed revalidations, opt-in)', ...withPush },
  { client: 'react-server-dom-webpack/client.browser (React excluded)', ...rsdw },
  { client: 'ratio use-server / react-server-dom-webpack', minified: +(ours.minified / rsdw.minified).toFixed(2), gzip: +(ours.gzip / rsdw.gzip).toFixed(2), brotli: +(ours.brotli / rsdw.brotli).toFixed(2) },
]
const within = ours.gzip <= 5120 && withQueries.gzip <= 5120
printTable(`Client size in bytes, as a one-function app ships it (Vite build, minified); budget: ${within ? 'within' : 'OVER'} 5 KB gzipped, query cache included`, rows)
saveFigure('client-size', { rows })
