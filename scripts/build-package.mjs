// Builds the package in the current directory: one JavaScript file per entry of its `exports` map,
// bundled by Rolldown (Vite 8's bundler), and tsc's declarations beside them.
//
// Why bundled: Node loads ES modules file by file, and a file costs a read, a parse and a link of its
// own (the runtime was 80 files: 35–50 ms to load at dev start; the plugin and the transform ~22 ms in
// every build). Modules that several entries reach go to shared chunks (`dist/chunks/`), never into a
// copy per entry, so module state (the registry, the request context) is one instance whichever
// entries an app imports. Everything that is not our own source stays an import: dependencies, peers,
// Node's modules and the other @use-server packages.
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { isAbsolute, join } from 'node:path'
import { build } from 'rolldown'

const dir = process.cwd()
const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))

/** `{ 'server/index': 'src/server/index.ts', … }` from the exports map's `./dist/<name>.js` targets. */
function entriesOf(exports) {
  const input = {}
  for (const [subpath, target] of Object.entries(exports)) {
    if (typeof target === 'string') continue // ./package.json
    const name = /^\.\/dist\/(.+)\.js$/.exec(target.default)?.[1]
    if (!name || target.types !== `./dist/${name}.d.ts`) throw new Error(`${manifest.name}: exports["${subpath}"] is not ./dist/<name>.js with ./dist/<name>.d.ts`)
    input[name] = `src/${name}.ts`
  }
  return input
}

// A page loads the runtime's browser entry through Vite's dev server, which transforms every file it
// serves (its source map included) before the page can call: what that entry reaches is one chunk,
// so the browser loads two files. Server entries import what they share with it from that chunk.
const BROWSER_ENTRIES = { '@use-server/runtime': 'client/index' }

const input = entriesOf(manifest.exports)
const options = {
  cwd: dir,
  platform: 'neutral', // the runtime's client entry runs in browsers, everything else in Node: no shims either way
  external: (id) => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0'),
  tsconfig: join(dir, 'tsconfig.json'),
  transform: { target: 'es2022' },
}

/** The modules a browser entry reaches (itself left out: it stays the entry's file). */
async function browserModules(entry) {
  const { output } = await build({ ...options, input: { [entry]: input[entry] }, write: false, output: { format: 'esm' } })
  const entryId = join(dir, input[entry])
  return new Set(output.flatMap((chunk) => chunk.moduleIds ?? []).filter((id) => id !== entryId))
}

rmSync(join(dir, 'dist'), { recursive: true, force: true })

const browserEntry = BROWSER_ENTRIES[manifest.name]
const browser = browserEntry ? await browserModules(browserEntry) : new Set()
await build({
  ...options,
  input,
  write: true,
  output: {
    codeSplitting: browserEntry ? { groups: [{ name: browserEntry.split('/')[0], test: (id) => browser.has(id) }] } : undefined,
    dir: 'dist',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    sourcemap: true, // with the sources inside: src/ is not in the package
    comments: { legal: true, annotation: true, jsdoc: false },
    minify: false,
  },
})

// Types: tsc's declarations, one per source file, in the layout the exports map names.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--emitDeclarationOnly'], { cwd: dir, stdio: 'inherit' })
