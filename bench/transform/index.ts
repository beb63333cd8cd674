import { parse } from '@babel/parser'
import { transformServerFunctions, type EstreeParse, type ModuleRecordParse, type TransformTarget } from '@use-server/transform'
import { parseAst, parseSync } from 'vite'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { printTable, saveFigure } from '../lib/results.js'
import { median, round } from '../lib/stats.js'
import { generateInlineModules, type BenchInput } from './generateInlineModules.js'
import { generateServerModules } from './generateServerModules.js'
import { peerClient, peerServer, toJavaScript } from './peer.js'

// The transform against the floor (a bare @babel/parser parse of the same text) and against the
// peer (@vitejs/plugin-rsc's transforms on the same modules). Rounds alternate the contenders, so
// machine noise hits them alike; every figure is a median of the process's CPU time (a busy machine
// moves it less than wall time).

const rounds = Number(process.env.BENCH_ROUNDS ?? 10)
const fixturesRoot = fileURLToPath(new URL('../../fixtures/transform/', import.meta.url))
const fixtureInputs: BenchInput[] = readdirSync(fixturesRoot).flatMap((name) => {
  const file = readdirSync(join(fixturesRoot, name)).find((f) => f.startsWith('input.'))
  return file ? [{ id: join(fixturesRoot, name, file), code: readFileSync(join(fixturesRoot, name, file), 'utf8') }] : []
})
const serverModules = generateServerModules(Number(process.env.BENCH_SERVER_MODULES ?? 240))
const inlineModules = generateInlineModules(Number(process.env.BENCH_INLINE_MODULES ?? 240))
const [serverModulesJs, inlineModulesJs] = await Promise.all([toJavaScript(serverModules), toJavaScript(inlineModules)])

// The parser options the transform itself uses (see packages/transform/src/parse/parseModule.ts).
function babelPlugins(id: string) {
  if (id.endsWith('.tsx')) return ['typescript', 'jsx', 'decorators-legacy', 'explicitResourceManagement'] as const
  if (/\.[cm]?ts$/.test(id)) return ['typescript', 'decorators-legacy', 'explicitResourceManagement'] as const
  return ['jsx', 'decorators', 'explicitResourceManagement'] as const
}

// What the plugin hands the transform under Vite 8: its native parser (oxc), whose module record gives
// a plain 'use server' module's exports without an AST in JavaScript, and whose AST serves the rest.
const native = { parseEstree: parseAst as unknown as EstreeParse, parseModuleRecord: parseSync as unknown as ModuleRecordParse }

const ours = (target: TransformTarget, inputs: BenchInput[], root: string, parsers?: typeof native) => () => {
  for (const { code, id } of inputs) {
    try {
      transformServerFunctions(code, id, { target, root, ...parsers })
    } catch {
      // error fixtures throw by design
    }
  }
}
// The floor parses as the transform does (comments not attached); the floor until 2026-11-29 attached them.
const floor = (inputs: BenchInput[], attachComment = false) => () => {
  for (const { code, id } of inputs) {
    try {
      parse(code, { sourceType: 'module', plugins: [...babelPlugins(id)], attachComment })
    } catch {
      // error fixtures fail to parse for every contender
    }
  }
}
const each = (inputs: BenchInput[], fn: (input: BenchInput) => void) => () => inputs.forEach(fn)

function measure(figure: string, title: string, inputs: BenchInput[], contenders: Record<string, () => void>) {
  const bytes = inputs.reduce((sum, input) => sum + Buffer.byteLength(input.code), 0)
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]))
  for (const runOnce of Object.values(contenders)) for (let i = 0; i < 3; i++) runOnce() // warm the JIT
  for (let round = 0; round < rounds; round++) {
    for (const [name, runOnce] of Object.entries(contenders)) {
      const start = process.cpuUsage()
      runOnce()
      const used = process.cpuUsage(start)
      times[name]!.push((used.user + used.system) / 1000)
    }
  }
  const medians = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]))
  const floorMs = medians['babel parse (floor)']
  const peerOf = (name: string) => medians[name.replace('use-server', '@vitejs/plugin-rsc').replace(', native parser', '')]
  const rows = Object.entries(medians).map(([name, ms]) => ({
    contender: name,
    'ms/file': round(ms / inputs.length, 4),
    'MB/s': round(bytes / 1e6 / (ms / 1000)),
    'ratio to floor': floorMs ? round(ms / floorMs) : '',
    'ours/plugin-rsc': name.startsWith('use-server') && peerOf(name) ? round(ms / peerOf(name)!) : '',
  }))
  printTable(`${title}: ${inputs.length} files, ${round(bytes / 1024, 1)} KB; CPU time, median of ${rounds} rounds`, rows)
  saveFigure(figure, { files: inputs.length, bytes, rounds, rows })
}

measure('transform-fixtures', 'Transform of every fixture input', fixtureInputs, {
  'babel parse (floor)': floor(fixtureInputs),
  'use-server transform (server)': ours('server', fixtureInputs, fixturesRoot),
  'use-server transform (client)': ours('client', fixtureInputs, fixturesRoot),
})

measure("transform-use-server-modules", "'use server' modules (generated, TS and TSX, 1–40 KB)", serverModules, {
  'babel parse (floor)': floor(serverModules),
  'babel parse, comments attached (the floor until 2026-11-29)': floor(serverModules, true),
  'use-server transform (server)': ours('server', serverModules, '/bench/app'),
  'use-server transform (server), native parser': ours('server', serverModules, '/bench/app', native),
  '@vitejs/plugin-rsc transform (server)': each(serverModulesJs, peerServer),
  'use-server transform (client)': ours('client', serverModules, '/bench/app'),
  'use-server transform (client), native parser': ours('client', serverModules, '/bench/app', native),
  '@vitejs/plugin-rsc transform (client)': each(serverModulesJs, peerClient),
})

// Inline functions only live on the server (the client target rejects them), so one target here.
// The oxc row says why these modules stay on Babel: Rolldown's binding has no raw transfer, so
// oxc's AST reaches JavaScript as JSON text, and parsing that text costs more than Babel's whole
// parse. (oxc's native parse alone cannot be timed apart: its memory is freed by V8's collector,
// whenever that runs, so its cost falls on whichever contender is running then.)
const lang = (id: string) => (id.endsWith('.tsx') ? 'tsx' : 'ts')
measure('transform-inline-modules', 'Components and loaders with inline server functions (generated, TS and TSX, 1–40 KB)', inlineModules, {
  'babel parse (floor)': floor(inlineModules),
  'babel parse, comments attached (the floor until 2026-11-29)': floor(inlineModules, true),
  'use-server transform (server)': ours('server', inlineModules, '/bench/app'),
  '@vitejs/plugin-rsc transform (server)': each(inlineModulesJs, peerServer),
  'oxc parse to an ESTree in JavaScript (Vite 8 parseAst)': each(inlineModules, ({ code, id }) => void parseAst(code, { lang: lang(id) })),
})

// Most modules of an app have no directive. Two kinds: one that never says `use server`, and a
// large library that mentions it in an error message (React's own server runtime).
const require = createRequire(import.meta.url)
const rsdw = join(require.resolve('react-server-dom-webpack/package.json'), '../cjs/react-server-dom-webpack-server.node.development.js')
const mentions = { id: '/bench/app/node_modules/rsdw-server.js', code: readFileSync(rsdw, 'utf8') }
const plain = { id: '/bench/app/src/lib/plain.ts', code: serverModules[0]!.code.replace(/'use server'/g, '') }
for (const [name, input] of [['a module that never says it', plain], ['a library that mentions it (react-server-dom-webpack, 1 file)', mentions]] as const) {
  measure(`transform-no-directive-${name.startsWith('a module') ? 'plain' : 'mention'}`, `No directive: ${name}`, [input], {
    'use-server transform (server)': ours('server', [input], '/bench/app'),
    '@vitejs/plugin-rsc transform (server)': each([input], peerServer),
  })
}
