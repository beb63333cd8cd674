import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { call, stubsIn } from './support/calls.js'
import { editedCopies } from './support/editedCopies.js'
import { vites } from './support/vites.js'

// The runtime entries a dev server loads are cached for the whole process: two dev servers in one
// process (started one after the other or at once, one closed) must each answer from their own app.
describe.each(vites)('$name: two dev servers in one process', (vite) => {
  const copies = editedCopies()

  const start = async (marker: string) => {
    const app = copies.copy('spa', 'src/actions.ts', (text) =>
      text.replace('return a + b', `return ${JSON.stringify(marker)} + (a + b)`) +
      `\nexport async function fail() { throw new Error('boom ${marker}') }\n`)
    const { createServer } = await vite.load()
    const config = { root: app.root, configFile: join(app.root, 'vite.config.ts'), logLevel: 'silent' as const }
    const server = copies.keep(await createServer({ ...config, server: { port: 0, host: '127.0.0.1' } }))
    await server.listen()
    const origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '')
    const stubs = stubsIn(await (await fetch(`${origin}/src/actions.ts`)).text())
    return { server, origin, add: stubs.get('add')!, fail: stubs.get('fail')! }
  }

  test('one after the other, then at once; the first closed, the others keep answering their own app', async () => {
    const a = await start('A')
    expect((await call(a.origin, a.add, [1, 2])).body).toEqual({ value: 'A3' })
    const b = await start('B')
    const [c, d] = await Promise.all([start('C'), start('D')])
    const answers = await Promise.all([a, b, c, d].map(async (s) => (await call(s.origin, s.add, [1, 2])).body))
    expect(answers.map((body) => body.value)).toEqual(['A3', 'B3', 'C3', 'D3'])
    await a.server.close()
    for (let i = 0; i < 3; i++) {
      const rest = await Promise.all([b, c, d].map(async (s) => (await call(s.origin, s.add, [i, 1])).body))
      expect(rest.map((body) => body.value)).toEqual([`B${i + 1}`, `C${i + 1}`, `D${i + 1}`])
    }
    // the last one started is closed: the others are still development servers (error details sent)
    await d.server.close()
    for (const s of [b, c]) {
      const failed = await call(s.origin, s.fail, [])
      expect(failed.status).toBe(500)
      expect(JSON.stringify(failed.body)).toContain(`boom ${s === b ? 'B' : 'C'}`)
    }
    await b.server.close()
    expect((await call(c.origin, c.add, [2, 2])).body).toEqual({ value: 'C4' })
  })
})
