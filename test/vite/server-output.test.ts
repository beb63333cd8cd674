import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { copyFixture, repoRoot } from './support/fixtures.js'
import { run, startNodeServer } from './support/processes.js'
import { vites } from './support/vites.js'

// dist/server as the embedded server's build writes it: the server and the runtime come bundled with
// the package and are copied in (dist/server/use-server-runtime), the app's chunks import them by
// relative paths, and a rebuild rewrites the output in place and removes what it no longer writes.

type Client = typeof import('@use-server/runtime/client')

const filesUnder = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => statSync(join(dir, path)).isFile()).map((path) => path.split(/[\\/]/).join('/')).sort()

describe.each(vites)('$name: the embedded server’s output', (vite) => {
  const app = copyFixture('spa')
  // Outside the repository: no node_modules in any folder above it.
  const elsewhere = mkdtempSync(join(tmpdir(), 'use-server-output-'))
  let client: Client
  const build = () => run(process.execPath, [vite.bin, 'build'], app.root)
  const manifestExports = () => Object.values(JSON.parse(readFileSync(join(app.root, 'dist/server/use-server-manifest.json'), 'utf8')) as Array<{ export: string }>).map((entry) => entry.export).sort()

  /** The functions of the manifest as the client runtime calls them, against `origin`. */
  const functionsAt = (origin: string, manifestFile: string) => {
    client.configure({ base: `${origin}/_server` })
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, { export: string }>
    return Object.fromEntries(Object.entries(manifest).map(([id, entry]) => [entry.export, client.createServerReference(id, entry.export) as (...args: unknown[]) => Promise<any>]))
  }

  beforeAll(async () => {
    client = (await import(pathToFileURL(join(repoRoot, 'packages/runtime/dist/client/index.js')).href)) as Client
    writeFileSync(join(app.root, 'src/files.ts'), "'use server'\n\nexport async function describeFile(file: File) {\n  return { name: file.name, size: file.size, text: await file.text() }\n}\n")
    writeFileSync(join(app.root, 'src/extra.ts'), "'use server'\n\nexport async function extra() {\n  return 'extra'\n}\n")
    const main = join(app.root, 'src/main.ts')
    writeFileSync(main, `import { describeFile } from './files'\nimport { extra } from './extra'\n;(globalThis as any).more = [describeFile, extra]\n${readFileSync(main, 'utf8')}`)
    await build()
  }, 120_000)
  afterAll(() => {
    app.remove()
    rmSync(elsewhere, { recursive: true, force: true })
  })

  test('copied alone (dist/client and dist/server) where no node_modules is, it serves the page and the functions, an upload included', async () => {
    cpSync(join(app.root, 'dist'), join(elsewhere, 'dist'), { recursive: true })
    expect(filesUnder(join(elsewhere, 'dist/server'))).toEqual(expect.arrayContaining(['use-server-runtime/production.js', 'use-server-runtime/server.js']))
    const server = await startNodeServer('dist/server/index.js', elsewhere)
    try {
      expect(await (await fetch(`${server.origin}/`)).text()).toContain('<title>use-server SPA fixture</title>')
      const fn = functionsAt(server.origin, join(elsewhere, 'dist/server/use-server-manifest.json'))
      expect(await fn.add!(2, 3)).toBe(5)
      expect(await fn.greet!('Vite')).toBe('Hello, Vite!')
      expect(await fn.describeFile!(new File(['héllo'], 'note.txt', { type: 'text/plain' }))).toEqual({ name: 'note.txt', size: 6, text: 'héllo' })
    } finally {
      await server.stop()
    }
    expect(server.output()).not.toMatch(/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/)
  })

  test("one copy of the runtime: the app's chunks import the copied one, they do not carry their own", () => {
    const server = join(app.root, 'dist/server')
    const chunks = filesUnder(server).filter((file) => file.endsWith('.js') && !file.startsWith('use-server-runtime/'))
    for (const chunk of chunks) {
      const code = readFileSync(join(server, chunk), 'utf8')
      expect(code, chunk).not.toMatch(/use-server-production-server:|@use-server\/runtime|function registerServerReference|from "(?!\.{1,2}\/)[^"]+"/)
    }
    expect(readFileSync(join(server, 'index.js'), 'utf8')).toContain('from "./use-server-runtime/production.js"')
  })

  test('a rebuild after a module was deleted: its chunk and its functions are gone, as is what else was there; the rest works', async () => {
    const server = join(app.root, 'dist/server')
    const extraChunk = filesUnder(server).find((file) => /(^|\/)extra-[^/]*\.js$/.test(file))!
    expect(extraChunk).toBeDefined()
    writeFileSync(join(server, 'left-by-hand.txt'), 'stale')
    mkdirSync(join(server, 'old/deeper'), { recursive: true })
    writeFileSync(join(server, 'old/deeper/chunk.js'), 'export {}')
    rmSync(join(app.root, 'src/extra.ts'))
    const main = join(app.root, 'src/main.ts')
    writeFileSync(main, readFileSync(main, 'utf8').replace("import { extra } from './extra'\n", '').replace('[describeFile, extra]', '[describeFile]'))
    await build()

    expect(manifestExports()).toEqual(['add', 'describeFile', 'greet'])
    const files = filesUnder(server)
    expect(files).not.toContain(extraChunk)
    expect(files).not.toContain('left-by-hand.txt')
    expect(existsSync(join(server, 'old'))).toBe(false)
    // What is there is what a build into an empty folder writes.
    const fresh = copyFixture('spa')
    try {
      cpSync(join(app.root, 'src'), join(fresh.root, 'src'), { recursive: true })
      await run(process.execPath, [vite.bin, 'build'], fresh.root)
      expect(files).toEqual(filesUnder(join(fresh.root, 'dist/server')))
    } finally {
      fresh.remove()
    }
    const running = await startNodeServer('dist/server/index.js', app.root)
    try {
      const fn = functionsAt(running.origin, join(server, 'use-server-manifest.json'))
      expect(await fn.add!(1, 2)).toBe(3)
      expect(await fn.describeFile!(new File(['x'], 'x.txt'))).toMatchObject({ size: 1 })
    } finally {
      await running.stop()
    }
  }, 120_000)

  test('chunks named into nested folders, with source maps: each imports the copied runtime by its own path', async () => {
    writeFileSync(
      join(app.root, 'vite.nested.config.ts'),
      "import { useServer } from '@use-server/vite'\nexport default { plugins: [useServer()], environments: { ssr: { build: { sourcemap: true, rollupOptions: { output: { chunkFileNames: 'functions/of/[name]-[hash].js' } } } } } }\n",
    )
    await run(process.execPath, [vite.bin, 'build', '--config', 'vite.nested.config.ts'], app.root)
    const server = join(app.root, 'dist/server')
    const chunk = filesUnder(server).find((file) => /^functions\/of\/actions-[^/]*\.js$/.test(file))!
    expect(readFileSync(join(server, chunk), 'utf8')).toContain('from "../../use-server-runtime/server.js"')
    const map = JSON.parse(readFileSync(join(server, `${chunk}.map`), 'utf8')) as { sources: string[] }
    expect(map.sources).toContain('../../../../src/actions.ts')
    expect(filesUnder(server).filter((file) => file.startsWith('assets/'))).toEqual([]) // the last build's chunks went
    const running = await startNodeServer('dist/server/index.js', app.root)
    try {
      expect(await functionsAt(running.origin, join(server, 'use-server-manifest.json')).add!(4, 5)).toBe(9)
    } finally {
      await running.stop()
    }
  }, 120_000)
})
