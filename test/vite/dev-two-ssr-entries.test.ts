import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'devalue'
import { describe, expect, test } from 'vitest'
import { editedCopies } from './support/editedCopies.js'
import { vites } from './support/vites.js'

// An app's own SSR entry calls handleServerFunction(request) with no resolver of its own: in a
// process running two dev servers, each entry must still run its own app's functions.
describe.each(vites)('$name: two SSR apps in one process', (vite) => {
  const copies = editedCopies()

  const start = async (marker: string) => {
    const app = copies.copy('ssr', 'src/notes.ts', (text) => text.replace("return 'not imported by the client'", `return ${JSON.stringify(marker)}`))
    const notes = app.path
    const { createServer } = await vite.load()
    const config = { root: app.root, configFile: join(app.root, 'vite.config.ts'), logLevel: 'silent' as const }
    const server = copies.keep(await createServer({ ...config, server: { middlewareMode: true }, appType: 'custom' }))
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
