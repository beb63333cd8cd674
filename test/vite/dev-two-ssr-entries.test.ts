import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'devalue'
import type { ViteDevServer } from 'vite'
import { afterAll, describe, expect, test } from 'vitest'
import { copyFixture } from './support/fixtures.js'
import { vites } from './support/vites.js'

// An app's own SSR entry calls handleServerFunction(request) with no resolver of its own: in a
// process running two dev servers, each entry must still run its own app's functions.
describe.each(vites)('$name: two SSR apps in one process', (vite) => {
  const apps: Array<ReturnType<typeof copyFixture>> = []
  const servers: ViteDevServer[] = []
  afterAll(async () => {
    for (const server of servers) await server.close().catch(() => {})
    for (const app of apps) app.remove()
  })

  const start = async (marker: string) => {
    const app = copyFixture('ssr')
    apps.push(app)
    const notes = join(app.root, 'src/notes.ts')
    writeFileSync(notes, readFileSync(notes, 'utf8').replace("return 'not imported by the client'", `return ${JSON.stringify(marker)}`))
    const { createServer } = await vite.load()
    const server = await createServer({ root: app.root, configFile: join(app.root, 'vite.config.ts'), server: { middlewareMode: true }, appType: 'custom', logLevel: 'silent' })
    servers.push(server)
    const { transformServerFunctions } = await import('@use-server/transform')
    const { functions } = transformServerFunctions(readFileSync(notes, 'utf8'), notes, { target: 'server', root: app.root })!
    const id = functions.find((f) => f.exportName === 'adminOnly')!.id
    const callThroughEntry = async () => {
      const { handle } = (await server.ssrLoadModule('/src/entry-server.ts')) as { handle: (r: Request, t: string) => Promise<Response> }
      const request = new Request(`http://127.0.0.1/_server/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' }, body: stringify([]) })
      const response = await handle(request, '')
      return { status: response.status, text: await response.text() }
    }
    return { server, callThroughEntry }
  }

  test("each entry answers from its own app, before and after the other's server closes", async () => {
    const a = await start('from A')
    const b = await start('from B')
    const first = await Promise.all([a.callThroughEntry(), b.callThroughEntry()])
    expect(first.map((answer) => answer.text)).toEqual([expect.stringContaining('from A'), expect.stringContaining('from B')])
    await b.server.close()
    const after = await a.callThroughEntry()
    expect(after.text).toContain('from A')
  })
})
