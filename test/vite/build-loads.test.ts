import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { copyFixture } from './support/fixtures.js'
import { run } from './support/processes.js'
import { vites } from './support/vites.js'

// Loading modules is a fixed cost of every `vite build`: a build must not load what only the dev
// server, `vite preview` or plain Rollup use. Node's module hooks record every module the build's
// process loads.

describe.each(vites)('$name: what a production build loads', (vite) => {
  const app = copyFixture('spa')
  let loaded: string[]

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
    expect(loaded.some((url) => /packages\/vite\/dist\/plugins\/buildPlugin\.js$/.test(url))).toBe(true)
    expect(loaded.some((url) => /packages\/transform\/dist\/transformServerFunctions\.js$/.test(url))).toBe(true)
  })

  test("never the dev server's parts, the server runtime, or @rollup/pluginutils (Vite has its createFilter)", () => {
    const needless = loaded.filter((url) =>
      /packages\/vite\/dist\/dev\/(?:callLog|createDevResolver|errorPage|inspector|inspectorPage|scanFunctions)\.js$|\/@rollup\/pluginutils\/|packages\/runtime\/dist\//.test(url),
    )
    expect(needless).toEqual([])
  })
})
