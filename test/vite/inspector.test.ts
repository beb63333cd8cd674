import { rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchChromium, openPage } from '../e2e/support/browser.js'
import { call } from './support/calls.js'
import { copyFixture } from './support/fixtures.js'
import { startNodeServer, type RunningServer } from './support/processes.js'
import { vites } from './support/vites.js'

// The inspector (`GET /_server` in development), in an app that renders its own pages through
// ssrLoadModule: it knows every function before any page loads, answers JSON, shows the last calls
// as they happen, and calls a function from the page under the same rules as any call.

interface InspectorState {
  base: string
  functions: Array<{ id: string; name: string; exportName: string; kind: string; module: string; line: number; bound: string[]; seenBy: string[]; callable: boolean }>
  calls: Array<{ seq: number; id: string; name: string | null; module: string | null; status: number | null; code: string | null; outcome: string; durationMs: number | null; error: { name: string; message: string; stack: string } | null }>
  compileErrors: Array<{ side: string; module: string; line: number; message: string; code: string }>
}

// Types before the throw: the module the server runs has other line numbers than this source.
const FAILING = `'use server'

interface Order {
  id: string
  lines: Array<{ sku: string; count: number }>
}

export async function placeOrder(order: Order): Promise<number> {
  if (order.lines.length === 0) throw new Error('an order needs a line')
  return order.lines.length
}

export async function throwStrange(kind: string) {
  if (kind === 'huge') throw new Error('x'.repeat(1_000_000))
  throw { toString() { throw new Error('no string for you') } }
}
`

// The app's dev server, in a process of its own as a person runs it (Vitest's own source maps would
// otherwise stand between the module runner and the stacks it maps).
const DEV_SERVER = `import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { toNodeListener } from '@use-server/runtime/node'
const { createServer: createViteServer } = await import(process.env.VITE_ENTRY)
const vite = await createViteServer({ server: { middlewareMode: true }, appType: 'custom', logLevel: 'silent' })
const render = toNodeListener(async (request) => {
  const { handle } = await vite.ssrLoadModule('/src/entry-server.ts')
  return handle(request, readFileSync('index.html', 'utf8'))
}, { onError: () => {} })
const http = createServer((req, res) => vite.middlewares(req, res, () => render(req, res)))
http.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + http.address().port))
`

describe.each(vites)('$name: the inspector', (vite) => {
  const app = copyFixture('ssr')
  let server: RunningServer
  let origin: string
  let browser: Browser
  const state = async (): Promise<InspectorState> => (await fetch(`${origin}/_server`, { headers: { accept: 'application/json' } })).json()
  const byName = async (name: string) => (await state()).functions.find((f) => f.name === name)!

  beforeAll(async () => {
    writeFileSync(join(app.root, 'src/orders.ts'), FAILING)
    writeFileSync(join(app.root, 'dev.mjs'), DEV_SERVER)
    const viteEntry = pathToFileURL(join(dirname(vite.bin), '../dist/node/index.js')).href
    ;[server, browser] = await Promise.all([startNodeServer('dev.mjs', app.root, { VITE_ENTRY: viteEntry }), launchChromium()])
    origin = server.origin
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    app.remove()
  })

  test('knows every function before any page loads, module and inline, with their bound values', async () => {
    const { functions, base } = await state()
    expect(base).toBe('/_server')
    expect(functions.map((f) => f.name).sort()).toEqual(['addNote', 'adminOnly', 'listNotes', 'noteTaker', 'placeOrder', 'takeNote', 'throwStrange'])
    expect(functions.find((f) => f.name === 'takeNote')).toMatchObject({ kind: 'inline', module: 'src/notes.ts', bound: ['author'], callable: false, seenBy: ['scan'] })
    expect(functions.find((f) => f.name === 'addNote')).toMatchObject({ kind: 'module', module: 'src/notes.ts', line: 7, bound: [], callable: true })
  })

  test('answers JSON to Accept: application/json and the page to a browser', async () => {
    const json = await fetch(`${origin}/_server`, { headers: { accept: 'application/json' } })
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const page = await fetch(`${origin}/_server/`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } })
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await page.text()).toContain('<title>use-server: server functions</title>')
  })

  test('a function added while the server runs appears, and one that does not compile is listed as such', async () => {
    writeFileSync(join(app.root, 'src/later.ts'), "'use server'\nexport async function addedLater() {\n  return 'later'\n}\n")
    writeFileSync(join(app.root, 'src/broken.ts'), "'use server'\nexport const notAFunction = 42\n")
    try {
      await expect.poll(async () => (await state()).functions.some((f) => f.name === 'addedLater'), { timeout: 10_000 }).toBe(true)
      await expect.poll(async () => (await state()).compileErrors, { timeout: 10_000 }).toEqual([expect.objectContaining({ side: 'server', module: 'src/broken.ts', line: 2, code: 'EXPORT_NOT_FUNCTION' })])
    } finally {
      rmSync(join(app.root, 'src/later.ts'))
      rmSync(join(app.root, 'src/broken.ts'))
    }
    await expect.poll(async () => (await state()).functions.some((f) => f.name === 'addedLater'), { timeout: 10_000 }).toBe(false)
    await expect.poll(async () => (await state()).compileErrors, { timeout: 10_000 }).toEqual([])
  })

  test('shows each call: function, status, duration, and what it threw, with the stack mapped to the source', async () => {
    const placeOrder = await byName('placeOrder')
    expect((await call(origin, placeOrder.id, [{ id: 'o1', lines: [{ sku: 'a', count: 1 }] }])).body).toEqual({ value: 1 })
    expect((await call(origin, placeOrder.id, [{ id: 'o2', lines: [] }])).status).toBe(500)
    const [failed, succeeded] = (await state()).calls
    expect(succeeded).toMatchObject({ name: 'placeOrder', module: 'src/orders.ts', status: 200, outcome: 'ok', error: null })
    expect(succeeded!.durationMs).toBeGreaterThanOrEqual(0)
    expect(failed).toMatchObject({ name: 'placeOrder', status: 500, code: 'INTERNAL_ERROR', outcome: 'error', error: { name: 'Error', message: 'an order needs a line' } })
    const throwLine = FAILING.split('\n').findIndex((line) => line.includes('throw new Error')) + 1
    expect(failed!.error!.stack.split('\n')[1]).toMatch(new RegExp(`src/orders\\.ts:${throwLine}:\\d+\\)?$`))
    expect(failed!.error!.stack).not.toMatch(/node_modules|node:internal|packages[\\/](runtime|vite)/)
  })

  test('what a function throws is kept short, and read without running its own code', async () => {
    const throwStrange = await byName('throwStrange')
    expect((await call(origin, throwStrange.id, ['huge'])).status).toBe(500)
    expect((await call(origin, throwStrange.id, ['odd'])).status).toBe(500)
    const [odd, huge] = (await state()).calls
    expect(huge!.error!.message.length).toBeLessThan(9_000)
    expect(huge!.error!.message).toMatch(/^x+… \(992000 more characters\)$/)
    expect(odd).toMatchObject({ name: 'throwStrange', status: 500, outcome: 'error', error: { name: 'object', message: '[object Object]' } })
  })

  test('an unknown id and a cross-site call are listed with what they were answered', async () => {
    expect((await call(origin, 'AAAAAAAAAAAAAAAA', [])).status).toBe(404)
    const addNote = await byName('addNote')
    const refused = await fetch(`${origin}/_server/${addNote.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, body: '[[]]' })
    expect(refused.status).toBe(403)
    const [crossSite, unknown] = (await state()).calls
    expect(crossSite).toMatchObject({ name: 'addNote', status: 403, outcome: 'error' })
    expect(unknown).toMatchObject({ id: 'AAAAAAAAAAAAAAAA', name: null, status: 404, code: 'NOT_FOUND' })
  })

  test('streams the state as calls happen (server-sent events)', async () => {
    const controller = new AbortController()
    const response = await fetch(`${origin}/_server`, { headers: { accept: 'text/event-stream' }, signal: controller.signal })
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    const events = async function* () {
      let buffer = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        buffer += value
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data: '))
          buffer = buffer.slice(end + 2)
          if (data) yield JSON.parse(data.slice(6)) as InspectorState
        }
      }
    }
    const stream = events()
    const first = (await stream.next()).value as InspectorState
    const listNotes = first.functions.find((f) => f.name === 'listNotes')!
    await call(origin, listNotes.id, [])
    for await (const next of stream) {
      if (next.calls.some((c) => c.name === 'listNotes' && c.status === 200)) break
    }
    controller.abort()
  })

  test('the page calls a function without bound values, as the app would, and shows the call live', async () => {
    const { page } = await openPage(browser)
    await page.goto(`${origin}/_server`)
    const addNote = await byName('addNote')
    const takeNote = await byName('takeNote')
    await page.locator(`#fn-${addNote.id} textarea`).fill("'from the inspector'")
    await page.locator(`#fn-${addNote.id} button`).click()
    await expect.poll(() => page.locator(`#fn-${addNote.id} pre`).textContent()).toMatch(/^\d+$/)
    expect(await page.locator(`#fn-${takeNote.id}`).textContent()).toContain('needs its bound values')
    await expect.poll(() => page.locator('#calls tr').first().textContent()).toContain('addNote')
    expect(await (await fetch(`${origin}/`)).text()).toContain('<li>from the inspector</li>')
  })
})
