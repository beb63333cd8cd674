import { appendFileSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { copyFixture } from './support/fixtures.js'
import { run } from './support/processes.js'
import { vites } from './support/vites.js'

// `build.sourcemap` must not publish the server. A client stub's map used to lead back to the whole
// 'use server' module, and bundlers copy what a map leads to into `sourcesContent`: secrets, logic,
// and exports no client imports, in every `.js.map` (or inline in the `.js`).

const SECRET = 'SERVER_ONLY_5e3c0a9f'

/** Every source map the client build holds: `.map` files, and maps inlined as data URLs. */
function clientMaps(dir: string): Array<{ file: string; sources: string[]; sourcesContent: Array<string | null> }> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
  return files.flatMap((entry) => {
    const path = join(entry.parentPath, entry.name)
    const text = readFileSync(path, 'utf8')
    if (entry.name.endsWith('.map')) return [{ file: entry.name, ...JSON.parse(text) }]
    const inline = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)/.exec(text)
    return inline ? [{ file: entry.name, ...JSON.parse(Buffer.from(inline[1]!, 'base64').toString('utf8')) }] : []
  })
}

describe.each(vites)('$name: client source maps never carry server source', (vite) => {
  const apps: Array<{ remove(): void }> = []
  afterAll(() => apps.forEach((app) => app.remove()))

  test.each(['true', 'inline', 'hidden'])('build.sourcemap %s', async (mode) => {
    const app = copyFixture('spa')
    apps.push(app)
    appendFileSync(join(app.root, 'src/actions.ts'), `\nconst apiKey = '${SECRET}'\nexport async function useKey() {\n  return apiKey.length\n}\n`)
    await run(process.execPath, [vite.bin, 'build', '--sourcemap', mode], app.root)

    const maps = clientMaps(join(app.root, 'dist/client'))
    expect(maps.length).toBeGreaterThan(0)
    for (const map of maps) {
      expect(map.sources.some((source) => source.endsWith('actions.ts'))).toBe(false)
      for (const content of map.sourcesContent ?? []) {
        expect(content ?? '').not.toContain(SECRET)
        expect(content ?? '').not.toContain('should not be reachable')
      }
    }
    // the stubs themselves are in the bundle (named after their exports), and nothing else of the module
    const code = readdirSync(join(app.root, 'dist/client/assets')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(app.root, 'dist/client/assets', f), 'utf8')).join('\n')
    expect(/["'`]greet["'`]/.test(code)).toBe(true)
    expect(code.includes(SECRET)).toBe(false)
    // the app's own modules keep their maps
    expect(maps.some((map) => map.sources.some((source) => source.endsWith('main.ts')))).toBe(true)
  }, 60_000)
})
