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

type Sizes = { minified: number; gzip: number; brotli: number }
const sizes = (code: string): Sizes => ({ minified: Buffer.byteLength(code), gzip: gzipSync(code).length, brotli: brotliCompressSync(code).length })

/**
 * The app's whole client bundle, and, split into a chunk of its own, the part that is
 * @use-server/runtime's (the client runtime itself, without the app's code and stubs).
 */
async function measure(dir: string, plugins: unknown[], external: string[] = []): Promise<Sizes & { runtime?: Sizes }> {
  const bundle = async (split: boolean) => {
    const output = (await build({
      root: dir,
      configFile: false,
      logLevel: 'silent',
      plugins: plugins as never,
      // Vite's modulepreload polyfill (~0.5 KB gzipped) is the same for every app: left out of each figure.
      build: {
        write: false,
        modulePreload: { polyfill: false },
        rollupOptions: { external, output: split ? { manualChunks: (id: string) => (RUNTIME.test(id) ? 'use-server-runtime' : undefined) } : {} },
      },
    })) as Rollup.RollupOutput | Rollup.RollupOutput[]
    return (Array.isArray(output) ? output[0]! : output).output.filter((o): o is Rollup.OutputChunk => o.type === 'chunk')
  }
  const whole = sizes((await bundle(false)).map((c) => c.code).join('\n'))
  const runtime = (await bundle(true)).find((c) => c.name === 'use-server-runtime')
  return { ...whole, runtime: runtime && sizes(runtime.code) }
}
const RUNTIME = /[\\/]packages[\\/]runtime[\\/]|[\\/]@use-server[\\/]runtime[\\/]/

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

const { runtime: ourRuntime, ...ourWhole } = ours
const { runtime: queriesRuntime, ...queriesWhole } = withQueries
const { runtime: pushRuntime, ...pushWhole } = withPush
const { runtime: _, ...rsdwWhole } = rsdw
const rows = [
  { client: 'use-server: the whole app (runtime with codec + one stub + app code)', ...ourWhole },
  { client: '  of which the client runtime', ...ourRuntime },
  { client: 'use-server with the query cache: the whole app (two stubs, query())', ...queriesWhole },
  { client: '  of which the client runtime (with the query cache)', ...queriesRuntime },
  { client: 'with connectRevalidations() too (pushed revalidations, opt-in): the whole app', ...pushWhole },
  { client: '  of which the client runtime (query cache + push)', ...pushRuntime },
  { client: 'react-server-dom-webpack/client.browser (React excluded)', ...rsdwWhole },
  { client: 'ratio use-server / react-server-dom-webpack (whole apps)', minified: +(ours.minified / rsdw.minified).toFixed(2), gzip: +(ours.gzip / rsdw.gzip).toFixed(2), brotli: +(ours.brotli / rsdw.brotli).toFixed(2) },
]
const within = (queriesRuntime?.gzip ?? Infinity) <= 5120
printTable(`Client size in bytes, as a small app ships it (Vite build, minified); the client runtime with the query cache is ${within ? 'within' : 'OVER'} 5 KB gzipped`, rows)
saveFigure('client-size', { rows })
