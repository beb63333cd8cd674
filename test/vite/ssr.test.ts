import { readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { call } from './support/calls.js'
import { copyFixture } from './support/fixtures.js'
import { rawRequest } from '../security/support/rawRequest.js'
import { run, startNodeServer, type RunningServer } from './support/processes.js'
import { vites } from './support/vites.js'

async function idsOf(root: string) {
  const { transformServerFunctions } = await import('@use-server/transform')
  const file = join(root, 'src/notes.ts')
  const { functions } = transformServerFunctions(readFileSync(file, 'utf8'), file, { target: 'client', root })!
  return new Map(functions.map((f) => [f.exportName, f.id]))
}

describe.each(vites)('$name: SSR app', (vite) => {
  describe('production build', () => {
    const app = copyFixture('ssr')
    let output: string
    let server: RunningServer

    beforeAll(async () => {
      output = await run(process.execPath, [vite.bin, 'build'], app.root)
      server = await startNodeServer('server.mjs', app.root)
    }, 120_000)
    afterAll(async () => {
      await server?.stop()
      app.remove()
    })

    test('the app’s own server entry gets the registry, and calls work through its handler', async () => {
      expect(output).toMatch(/use-server: 3 functions in 1 module \(1 inline\)/)
      // The registry is a chunk of its own (which vite preview loads), imported first by the entry.
      const entry = readFileSync(join(app.root, 'dist/server/entry.js'), 'utf8')
      expect(entry).toMatch(/^import "\.\/use-server-registry\.js";/)
      expect(readFileSync(join(app.root, 'dist/server/use-server-registry.js'), 'utf8')).toMatch(/installServerFunctionResolver/)
      const ids = await idsOf(app.root)
      const result = await call(server.origin, ids.get('addNote')!, ['first note'])
      expect(result).toMatchObject({ status: 200, body: { value: 1 } })
      expect(result.headers.getSetCookie()).toEqual(['last-note=first%20note; Path=/'])
      expect(await (await fetch(`${server.origin}/`)).text()).toContain('<li>first note</li>')
    })

    test('an inline server function returned by another is callable, with its bound value sealed', async () => {
      const ids = await idsOf(app.root)
      const { configure, createServerReference } = await import('@use-server/runtime/client')
      configure({ base: `${server.origin}/_server` })
      const takeNote = (await createServerReference(ids.get('noteTaker')!, 'noteTaker')('ann')) as (text: string) => Promise<number>
      expect(await takeNote('bound')).toBeGreaterThan(0)
      expect(await (await fetch(`${server.origin}/`)).text()).toContain('<li>ann: bound</li>')
      const manifest = JSON.parse(readFileSync(join(app.root, 'dist/server/use-server-manifest.json'), 'utf8'))
      expect(Object.values(manifest)).toContainEqual(expect.objectContaining({ kind: 'inline', bound: ['author'], export: expect.stringMatching(/^\$\$server_/) }))
    })

    test('exports the client never imports are not callable, even though the server imports them', async () => {
      const ids = await idsOf(app.root)
      expect((await call(server.origin, ids.get('listNotes')!, [])).status).toBe(404)
      expect((await call(server.origin, ids.get('adminOnly')!, [])).status).toBe(404)
    })

    test("hostile calls through the app's own handler are 400s, and the server goes on", async () => {
      const id = (await idsOf(app.root)).get('addNote')!
      const send = (body: string) => rawRequest(server.origin, { path: `/_server/${id}`, headers: { 'content-type': 'application/json' }, body })
      // the request that ended production servers: a reference as the valueOf of a File's part number
      expect((await send('[[1],["File",2],[3,4],{"valueOf":5},0,["ServerReference",6],{"id":7},"AAAAAAAAAAAAAAAA"]')).status).toBe(400)
      // a reference where `notes.push(text)` and `cookies().set(…, text)` would convert it
      expect((await send(`[[1],{"toString":2},["ServerReference",3],{"id":4},${JSON.stringify(id)}]`)).status).toBe(400)
      // a value no cookie can hold (it was a 500)
      const surrogate = await send('[[1],"\\ud800"]')
      expect({ status: surrogate.status, code: surrogate.headers['x-use-server-error'] }).toEqual({ status: 400, code: 'INVALID_COOKIE' })
      expect(await call(server.origin, id, ['still here'])).toMatchObject({ status: 200 })
    })

    test('a TRACE request (which a Fetch Request cannot carry) is a 405, and the server goes on', async () => {
      expect((await rawRequest(server.origin, { method: 'TRACE', path: '/' })).status).toBe(405)
      expect((await fetch(`${server.origin}/`)).status).toBe(200)
    })
  })

  describe('dev server in middleware mode', () => {
    const app = copyFixture('ssr')
    let vite_: ViteDevServer
    let http: Server
    let origin: string

    beforeAll(async () => {
      const { createServer: createViteServer } = await vite.load()
      vite_ = await createViteServer({ root: app.root, configFile: join(app.root, 'vite.config.ts'), server: { middlewareMode: true }, appType: 'custom', logLevel: 'silent' })
      const { toNodeListener } = await import('@use-server/runtime/node')
      const page = toNodeListener(async (request) => {
        const { handle } = (await vite_.ssrLoadModule('/src/entry-server.ts')) as { handle: (r: Request, t: string) => Promise<Response> }
        const template = await vite_.transformIndexHtml(new URL(request.url).pathname, readFileSync(join(app.root, 'index.html'), 'utf8'))
        return handle(request, template)
      })
      http = createServer((req, res) => vite_.middlewares(req, res, () => page(req, res)))
      await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
      origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
    })
    afterAll(async () => {
      http?.close()
      await vite_?.close()
      app.remove()
    })

    test('calls reach functions through the plugin’s middleware, sharing the rendered app’s modules', async () => {
      // as a browser would: the page, then its modules (the client transform registers the ids)
      await fetch(`${origin}/`)
      await fetch(`${origin}/src/notes.ts`)
      const ids = await idsOf(app.root)
      expect(await call(origin, ids.get('addNote')!, ['dev note'])).toMatchObject({ status: 200, body: { value: 1 } })
      expect(await (await fetch(`${origin}/`)).text()).toContain('<li>dev note</li>')
    })

    test('an edited function body runs on the next call, in the runner the app renders with', async () => {
      const ids = await idsOf(app.root)
      const file = join(app.root, 'src/notes.ts')
      writeFileSync(file, readFileSync(file, 'utf8').replace('return notes.length', 'return notes.length * 1000'))
      await vi.waitFor(async () => expect((await call(origin, ids.get('addNote')!, ['edited'])).body.value).toBeGreaterThanOrEqual(1000), { timeout: 10_000, interval: 200 })
    })

    test('the app’s own handler finds functions in development too', async () => {
      const ids = await idsOf(app.root)
      const { handle } = (await vite_.ssrLoadModule('/src/entry-server.ts')) as { handle: (r: Request, t: string) => Promise<Response> }
      const response = await handle(new Request(`${origin}/_server/${ids.get('addNote')}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[[1],"direct"]' }), '')
      expect(JSON.parse(await response.text())[0]).toEqual({ value: 1 })
    })
  })
})
