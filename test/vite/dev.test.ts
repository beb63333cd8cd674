import { readFileSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import type { Plugin, ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { call, stubsIn } from './support/calls.js'
import { copyFixture } from './support/fixtures.js'
import { vites } from './support/vites.js'

describe.each(vites)('$name: dev server', (vite) => {
  const app = copyFixture('spa')
  const hmr: Array<{ type: string; [key: string]: unknown }> = []
  let server: ViteDevServer
  let origin: string
  const actions = join(app.root, 'src/actions.ts')

  // Records what the dev server tells browsers, the way the Vite client would receive it.
  const recordHmr: Plugin = {
    name: 'test:record-hmr',
    configureServer(devServer) {
      const hot = devServer.environments.client.hot
      const send = hot.send.bind(hot) as (...args: unknown[]) => void
      hot.send = ((...args: unknown[]) => {
        hmr.push(args[0] as (typeof hmr)[number])
        send(...args)
      }) as typeof hot.send
    },
  }

  beforeAll(async () => {
    const { createServer } = await vite.load()
    server = await createServer({ root: app.root, configFile: join(app.root, 'vite.config.ts'), logLevel: 'silent', server: { port: 0, host: '127.0.0.1' }, plugins: [recordHmr] })
    await server.listen()
    origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '')
  })
  afterAll(async () => {
    await server?.close()
    app.remove()
  })

  const clientStubs = async () => stubsIn(await (await fetch(`${origin}/src/actions.ts`)).text())

  test('the browser gets stubs only: no server code, no server import', async () => {
    const code = await (await fetch(`${origin}/src/actions.ts`)).text()
    expect([...stubsIn(code).keys()]).toEqual(['add', 'greet', 'neverImported'])
    expect(code).not.toContain('formatGreeting')
    expect(code).not.toContain('./format')
  })

  test('cold start: the first call loads a module the server environment never compiled', async () => {
    const stubs = await clientStubs()
    expect(await call(origin, stubs.get('add')!, [2, 3])).toMatchObject({ status: 200, body: { value: 5 } })
    expect(await call(origin, stubs.get('greet')!, ['Vite'])).toMatchObject({ status: 200, body: { value: 'Hello, Vite!' } })
  })

  // Vite's own server, under the same middleware: a refused upload's rest is dropped, and the
  // connection goes on to the next request (a browser reuses it for the page's next call).
  test('an upload over the body limit is a 413, and a call sent after it on the same connection is answered', async () => {
    const id = (await clientStubs()).get('add')!
    const { hostname, port } = new URL(origin)
    const socket = connect(Number(port), hostname)
    let received = ''
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk))
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    const size = 2 * 1024 * 1024
    socket.write(`POST /_server/${id} HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\ncontent-length: ${size}\r\n\r\n`)
    for (let sent = 0; sent < size; sent += 64 * 1024) await new Promise((resolve) => socket.write('x'.repeat(64 * 1024), resolve))
    const add = '[[1,2],2,3]'
    socket.write(`POST /_server/${id} HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\ncontent-length: ${add.length}\r\nconnection: close\r\n\r\n${add}`)
    await closed
    expect(received).toMatch(/^HTTP\/1\.1 413 [\s\S]*larger than the limit[\s\S]*HTTP\/1\.1 200 [\s\S]*\[\{"value":1\},5\]$/)
  }, 20_000)

  test('a function exported under a string name gets a stub and answers', async () => {
    writeFileSync(join(app.root, 'src/labels.ts'), "'use server'\n\nasync function shout(text: string) {\n  return text.toUpperCase() + '!'\n}\n\nexport { shout as '📣 shout' }\n")
    const stubs = stubsIn(await (await fetch(`${origin}/src/labels.ts`)).text())
    expect([...stubs.keys()]).toEqual(['📣 shout'])
    expect(await call(origin, stubs.get('📣 shout')!, ['hi'])).toMatchObject({ status: 200, body: { value: 'HI!' } })
  })

  test('an id the dev server never saw is a 404, and nothing path-like is looked up', async () => {
    for (const id of ['AAAAAAAAAAAAAAAA', 'src/actions.ts', '..%2Fsrc%2Factions.ts', '__proto__']) {
      const { status, headers } = await call(origin, id, [])
      expect(status).toBe(404)
      if (status === 404 && !id.includes('%')) expect(headers.get('x-use-server-error')).toBe('NOT_FOUND')
    }
  })

  test('GET on the endpoint lists every known function (JSON for Accept: application/json)', async () => {
    const state = await (await fetch(`${origin}/_server`, { headers: { accept: 'application/json' } })).json()
    const stubs = await clientStubs()
    for (const [name, id] of stubs) {
      expect(state.functions).toContainEqual(expect.objectContaining({ id, name, module: 'src/actions.ts', kind: 'module', callable: true }))
    }
    const page = await fetch(`${origin}/_server`, { headers: { accept: 'text/html,application/xhtml+xml,application/json;q=0.9' } })
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await page.text()).toContain('<title>use-server: server functions</title>')
  })

  test('editing a function body: the next call runs the new code, and the browser is not told to reload', async () => {
    const stubs = await clientStubs()
    hmr.length = 0
    writeFileSync(actions, readFileSync(actions, 'utf8').replace('return a + b', 'return a + b + 100'))
    await vi.waitFor(async () => expect((await call(origin, stubs.get('add')!, [2, 3])).body).toEqual({ value: 105 }), { timeout: 10_000, interval: 100 })
    await new Promise((r) => setTimeout(r, 300))
    expect(hmr.filter((m) => m.type !== 'connected')).toEqual([])
  })

  test('adding an export updates the client stubs through HMR', async () => {
    hmr.length = 0
    writeFileSync(actions, readFileSync(actions, 'utf8') + '\nexport async function subtract(a: number, b: number) {\n  return a - b\n}\n')
    await vi.waitFor(() => expect(hmr.some((m) => m.type === 'update' || m.type === 'full-reload')).toBe(true), { timeout: 10_000, interval: 100 })
    const stubs = await clientStubs()
    expect([...stubs.keys()]).toContain('subtract')
    expect(await call(origin, stubs.get('subtract')!, [10, 4])).toMatchObject({ body: { value: 6 } })
  })

  test('removing an export updates the client stubs too, and its id stops answering', async () => {
    const subtract = (await clientStubs()).get('subtract')!
    hmr.length = 0
    writeFileSync(actions, readFileSync(actions, 'utf8').replace(/\nexport async function subtract[\s\S]*$/, '\n'))
    await vi.waitFor(() => expect(hmr.some((m) => m.type === 'update' || m.type === 'full-reload')).toBe(true), { timeout: 10_000, interval: 100 })
    expect([...(await clientStubs()).keys()]).not.toContain('subtract')
    await vi.waitFor(async () => expect((await call(origin, subtract, [10, 4])).status).toBe(404), { timeout: 10_000, interval: 100 })
  })

  test('a compile error reaches the error overlay with its location and code frame', async () => {
    writeFileSync(join(app.root, 'src/broken.ts'), "'use server'\n\nexport function notAsync() {\n  return 1\n}\n")
    hmr.length = 0
    const response = await fetch(`${origin}/src/broken.ts`)
    expect(response.status).toBe(500)
    await vi.waitFor(() => expect(hmr.some((m) => m.type === 'error')).toBe(true), { timeout: 5_000 })
    const { err } = hmr.find((m) => m.type === 'error') as unknown as { err: { message: string; frame: string; loc: { file: string; line: number; column: number }; plugin: string; stack: string } }
    expect(err.message).toMatch(/Server function "notAsync" must be async/)
    expect(err.frame).toContain('> 3 | export function notAsync() {')
    expect(err.loc).toMatchObject({ file: join(app.root, 'src/broken.ts'), line: 3, column: 7 })
    expect(err.plugin).toBe('use-server')
    // no frame of the compiler's own: the one frame is the place in the app
    expect(err.stack.trim()).toBe(`at ${join(app.root, 'src/broken.ts')}:3:8`)
  })
})
