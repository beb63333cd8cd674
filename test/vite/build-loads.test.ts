import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { copyFixture } from './support/fixtures.js'
import { run } from './support/processes.js'
import { vites } from './support/vites.js'

// Loading modules is a fixed cost of every `vite build`: a build must not load what only the dev
// server, `vite preview` or plain Rollup use. Node's module hooks record every module the build's
// process loads; our packages are bundled, so the source files a loaded file holds are read from its map.

describe.each(vites)('$name: what a production build loads', (vite) => {
  const app = copyFixture('spa')
  let loaded: string[]
  /** The files loaded, and for our bundled dist files the sources each holds (from its source map). */
  const withSources = () =>
    loaded.flatMap((url) => {
      if (!url.startsWith('file:') || !/\/packages\/(?:runtime|transform|vite)\/dist\//.test(url)) return [url]
      const file = fileURLToPath(url)
      if (!existsSync(`${file}.map`)) return [url]
      const { sources } = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }
      return [url, ...sources.map((source) => resolve(file, '..', source))]
    })

  beforeAll(async () => {
    const log = join(app.root, 'loaded.txt')
    const hooks = `import { appendFileSync } from 'node:fs'\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context) }\n`
    const preload = join(app.root, 'record-loads.mjs')
    writeFileSync(preload, `import { register } from 'node:module'\nregister(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hooks))})\n`)
    writeFileSync(log, '')
    await run(process.execPath, ['--import', pathToFileURL(preload).href, vite.bin, 'build'], app.root)
    loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean)
  }, 120_000)
  afterAll(() => app.remove())

  test('loads the plugin and compiles the functions', () => {
    expect(withSources().some((file) => /packages\/vite\/src\/plugins\/buildPlugin\.ts$/.test(file))).toBe(true)
    expect(withSources().some((file) => /packages\/transform\/src\/transformServerFunctions\.ts$/.test(file))).toBe(true)
  })

  test("never the dev server's parts, the server runtime, or @rollup/pluginutils (Vite has its createFilter)", () => {
    const needless = withSources().filter((file) =>
      /packages\/vite\/src\/dev\/(?:callLog|createDevResolver|errorPage|inspector|inspectorPage|scanFunctions)\.ts$|\/@rollup\/pluginutils\/|packages\/runtime\/dist\//.test(file),
    )
    expect(needless).toEqual([])
  })
})
