import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { copyFixture } from './support/fixtures.js'
import { run } from './support/processes.js'
import { vites } from './support/vites.js'

// A 'use server' string after an import is no directive: the module compiles as JavaScript reads it
// (ordinary code, shipped to the browser), and the bundler's warning channel says so, with a code frame.
const SLIP = "import { formatGreeting } from './format'\n'use server'\n\nexport async function notServer() {\n  return formatGreeting('slip')\n}\n"
const WARNING = "'use server' is not a directive here: other code comes before it"

const occurrences = (text: string, part: string) => text.split(part).length - 1

describe.each(vites)('$name: a misplaced directive', (vite) => {
  const app = copyFixture('spa')
  beforeAll(() => {
    writeFileSync(join(app.root, 'src/slip.ts'), SLIP)
    const main = join(app.root, 'src/main.ts')
    writeFileSync(main, `import { notServer } from './slip'\nvoid notServer()\n${readFileSync(main, 'utf8')}`)
  })
  afterAll(() => app.remove())

  test('the build warns once, with the place and a code frame, and ships the module as ordinary code', async () => {
    const output = await run(process.execPath, [vite.bin, 'build'], app.root)
    expect(occurrences(output, WARNING)).toBe(1)
    expect(output).toMatch(/slip\.ts[:( ]+2[:]/)
    expect(output).toContain("> 2 | 'use server'")
    expect(output).toContain('use-server: 2 functions in 1 module')
  }, 120_000)

  test('the dev server warns once, though the client and the server environment both compile it', async () => {
    const { createServer, createLogger } = await vite.load()
    const logger = createLogger('warn')
    const warnings: string[] = []
    logger.warn = (message) => void warnings.push(stripVTControlCharacters(message))
    const server = await createServer({ root: app.root, configFile: join(app.root, 'vite.config.ts'), customLogger: logger, optimizeDeps: { noDiscovery: true }, server: { port: 0, host: '127.0.0.1' } })
    try {
      await server.listen()
      const origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '')
      expect(await (await fetch(`${origin}/src/slip.ts`)).text()).toContain('notServer')
      const runner = (server.environments.ssr as unknown as { runner: { import(url: string): Promise<Record<string, () => Promise<string>>> } }).runner
      expect(await (await runner.import('/src/slip.ts')).notServer!()).toBe('Hello, slip!')
      const text = warnings.join('\n')
      expect(occurrences(text, WARNING)).toBe(1)
      expect(text).toContain('slip.ts:2')
      expect(text).toContain("> 2 | 'use server'")
    } finally {
      await server.close()
    }
  })
})
