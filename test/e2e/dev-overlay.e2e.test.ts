import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { Logger, ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, onTestFinished, test, vi } from 'vitest'
import { copyFixture } from '../vite/support/fixtures.js'
import { vites } from '../vite/support/vites.js'
import { launchChromium, openPage, screenshotDir } from './support/browser.js'

// The dev loop as a person lives it, in Chromium with JavaScript on: a compile error of the client
// target and one of the server target each reach Vite's overlay with their place and code frame (and
// no frame of the compiler's), the terminal says it once, and fixing the file closes the overlay
// and the next call runs the new code, with no manual reload. Screenshots of the overlays go to
// test-results/screenshots for a person to look at.

/** A logger that keeps what Vite and the plugin print. */
function recordingLogger(createLogger: (level: 'info') => Logger): { logger: Logger; output: () => string } {
  const lines: string[] = []
  const logger = createLogger('info')
  for (const level of ['info', 'warn', 'warnOnce', 'error'] as const) logger[level] = (message: string) => void lines.push(message)
  return { logger, output: () => lines.join('\n') }
}

interface OverlayText {
  message: string
  file: string
  frame: string
  stack: string
}

/** What Vite's error overlay shows (it lives in a shadow root), or null when there is none. */
async function overlay(page: Page): Promise<OverlayText | null | 'navigating'> {
  const read = () => {
    const root = document.querySelector('vite-error-overlay')?.shadowRoot
    if (!root) return null
    const text = (selector: string) => root.querySelector(selector)?.textContent ?? ''
    return { message: text('.message'), file: text('.file'), frame: text('.frame'), stack: text('.stack') }
  }
  // Vite's client reloads the page by itself at times (that is the point): a read may meet a navigation
  return page.evaluate(read).catch(() => 'navigating' as const)
}

async function waitForOverlay(page: Page): Promise<OverlayText> {
  let shown: Awaited<ReturnType<typeof overlay>> = null
  await expect.poll(async () => typeof (shown = await overlay(page)) === 'object' && shown !== null, { timeout: 15_000 }).toBe(true)
  return shown as unknown as OverlayText
}
const waitForNoOverlay = (page: Page) => expect.poll(() => overlay(page), { timeout: 15_000 }).toBeNull()

/** For a person to look at; a page Vite's client is reloading at that moment is not the test's failure. */
async function shoot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), timeout: 10_000 }).catch(() => {})
}

const occurrences = (text: string, part: string) => text.split(part).length - 1

describe.each(vites)('$name: compile errors in the browser, SPA', (vite) => {
  const app = copyFixture('spa')
  const actions = join(app.root, 'src/actions.ts')
  const notes = join(app.root, 'src/notes.ts')
  let browser: Browser
  let server: ViteDevServer
  let terminal: () => string
  let origin: string

  beforeAll(async () => {
    // an inline server function too, created by a 'use server' module's function
    writeFileSync(notes, "'use server'\n\nexport async function makeGreeter(greeting: string) {\n  return async function greet(name: string) {\n    'use server'\n    return `${greeting}, ${name}`\n  }\n}\n")
    const main = join(app.root, 'src/main.ts')
    writeFileSync(
      main,
      `import { makeGreeter } from './notes'\n${readFileSync(main, 'utf8')}\nconst button = document.createElement('button')\nbutton.id = 'greet'\nbutton.onclick = async () => { const greet = await makeGreeter('Hi'); document.querySelector('#greeting')!.textContent = await greet('Ann') }\ndocument.body.append(button, Object.assign(document.createElement('output'), { id: 'greeting' }))\n`,
    )
    const { createServer: createViteServer, createLogger } = await vite.load()
    const recording = recordingLogger(createLogger)
    terminal = recording.output
    ;[browser, server] = await Promise.all([
      launchChromium(),
      createViteServer({ root: app.root, configFile: join(app.root, 'vite.config.ts'), customLogger: recording.logger, server: { port: 0, host: '127.0.0.1' } }),
    ])
    await server.listen()
    origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '')
    // the first visit makes Vite optimize the page's dependencies (and reload it): not during a test
    const page = await browser.newPage()
    await page.goto(origin)
    await vi.waitFor(async () => expect(await page.textContent('#result')).toBe('5 Hello, Vite!'), { timeout: 30_000, interval: 200 })
    await page.close()
  }, 90_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    app.remove()
  })

  test('a client-target error: overlay with place and frame, said once; the fix closes it and the page runs the new code', { timeout: 90_000 }, async () => {
    const { page } = await openPage(browser)
    await page.goto(origin)
    await expect.poll(() => page.textContent('#result'), { timeout: 15_000 }).toBe('5 Hello, Vite!')
    const before = terminal().length
    const source = readFileSync(actions, 'utf8')
    writeFileSync(actions, source.replace('export async function add', 'export function add'))
    onTestFinished(() => writeFileSync(actions, source))

    const shown = await waitForOverlay(page)
    await shoot(page, `${vite.name} overlay client-target error`)
    expect(shown.message).toContain('Server function "add" must be async')
    expect(shown.file).toBe(`${actions}:5:7`)
    expect(shown.frame).toContain('> 5 | export function add(a: number, b: number)')
    expect(shown.stack.trim()).toBe(`at ${actions}:5:8`) // the app's place, no frame of the compiler's
    const said = terminal().slice(before)
    expect(occurrences(said, 'Server function "add" must be async')).toBe(1)
    expect(said).toContain('File: ' + actions + ':5:8')
    expect(said).not.toContain('should not be reachable') // the module's source is not printed
    expect(said).not.toMatch(/packages[\\/]transform|transformServerFunctions/)

    writeFileSync(actions, source.replace('return a + b', 'return a + b + 1000'))
    await waitForNoOverlay(page)
    await expect.poll(() => page.textContent('#result'), { timeout: 15_000 }).toBe('1005 Hello, Vite!')
  })

  test('a server-target error (an inline function uses `this`) during HMR: overlay, said once; the fix closes it and the next call runs the new code', { timeout: 90_000 }, async () => {
    const { page } = await openPage(browser)
    await page.goto(origin)
    await page.click('#greet')
    await expect.poll(() => page.textContent('#greeting'), { timeout: 15_000 }).toBe('Hi, Ann')
    const before = terminal().length
    const source = readFileSync(notes, 'utf8')
    writeFileSync(notes, source.replace('return `${greeting}, ${name}`', 'return `${greeting}, ${name} from ${this}`'))
    onTestFinished(() => writeFileSync(notes, source))

    const shown = await waitForOverlay(page)
    await shoot(page, `${vite.name} overlay server-target error`)
    expect(shown.message).toContain('Server function "greet"')
    expect(shown.message).toContain('`this`')
    expect(shown.file).toBe(`${notes}:6:40`)
    expect(shown.frame).toContain('> 6 |     return `${greeting}, ${name} from ${this}`')
    expect(shown.stack.trim()).toBe(`at ${notes}:6:41`)
    const said = terminal().slice(before)
    expect(occurrences(said, 'Server function "greet"')).toBe(1)
    expect(said).toContain(`File: ${notes}:6:41`)

    writeFileSync(notes, source.replace('return `${greeting}, ${name}`', 'return `${greeting}, ${name}!`'))
    await waitForNoOverlay(page)
    await page.locator('#greet').click()
    await expect.poll(() => page.textContent('#greeting'), { timeout: 15_000 }).toBe('Hi, Ann!')
  })

  test('a page opened while a server-target error stands shows it too', async () => {
    const source = readFileSync(notes, 'utf8')
    writeFileSync(notes, source.replace("'use server'\n    return", "'use server'\n    arguments.length\n    return"))
    try {
      await expect.poll(async () => (await (await fetch(`${origin}/_server`, { headers: { accept: 'application/json' } })).json()).compileErrors.length, { timeout: 15_000 }).toBe(1)
      const { page } = await openPage(browser)
      await page.goto(origin)
      expect((await waitForOverlay(page)).message).toContain('`arguments`')
    } finally {
      writeFileSync(notes, source)
    }
  })
})

describe.each(vites)('$name: compile errors in the browser, an app that renders its own pages', (vite) => {
  const app = copyFixture('ssr')
  const notes = join(app.root, 'src/notes.ts')
  const source = readFileSync(notes, 'utf8')
  const broken = source.replace('notes.push(`${author}: ${text}`)', 'notes.push(`${author}: ${text} (${this})`)')
  let browser: Browser
  let vite_: ViteDevServer
  let http: Server
  let origin: string
  let terminal: () => string

  beforeAll(async () => {
    // started with the error already in the file: the first render meets it
    writeFileSync(notes, broken)
    const { createServer: createViteServer, createLogger } = await vite.load()
    const recording = recordingLogger(createLogger)
    terminal = recording.output
    http = createServer((req, res) => vite_.middlewares(req, res, () => render(req, res)))
    // HMR's WebSocket (which brings the overlay) on this server: on Vite's default port 24678 it met the
    // middleware-mode servers of test files running at the same time, and the page connected to theirs.
    vite_ = await createViteServer({ root: app.root, configFile: join(app.root, 'vite.config.ts'), customLogger: recording.logger, server: { middlewareMode: true, hmr: { server: http } }, appType: 'custom' })
    const { toNodeListener } = await import('@use-server/runtime/node')
    const render = toNodeListener(async (request) => {
      const { handle } = (await vite_.ssrLoadModule('/src/entry-server.ts')) as { handle: (r: Request, t: string) => Promise<Response> }
      const template = await vite_.transformIndexHtml(new URL(request.url).pathname, readFileSync(join(app.root, 'index.html'), 'utf8'))
      return handle(request, template)
    }, { onError: () => {} }) // the app's own log of the failed render: not what this test reads
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
    origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    http?.close()
    await vite_?.close()
    app.remove()
  })

  test('the page is the overlay, not a bare "Internal Server Error"; the fix brings the page back', { timeout: 90_000 }, async () => {
    const { page } = await openPage(browser)
    const response = await page.goto(origin)
    expect(response!.status()).toBe(500)
    const shown = await waitForOverlay(page)
    await shoot(page, `${vite.name} overlay SSR page`)
    expect(shown.message).toContain('Server function "takeNote"')
    expect(shown.file).toBe(`${notes}:25:`.concat(String(broken.split('\n')[24]!.indexOf('this'))))
    expect(await page.content()).not.toContain('Internal Server Error')
    expect(occurrences(terminal(), 'Server function "takeNote"')).toBe(1)

    writeFileSync(notes, source)
    await expect.poll(async () => (await page.textContent('button').catch(() => null)) === 'Add' && (await overlay(page)) === null, { timeout: 15_000 }).toBe(true)
  })

  test('an error made while the page is open shows on it at once, and so on every page until fixed', { timeout: 90_000 }, async () => {
    const { page } = await openPage(browser)
    await page.goto(origin)
    await expect.poll(() => page.textContent('button'), { timeout: 15_000 }).toBe('Add')
    writeFileSync(notes, broken)
    try {
      expect((await waitForOverlay(page)).message).toContain('Server function "takeNote"')
      const again = await browser.newPage()
      expect((await again.goto(origin))!.status()).toBe(500)
      expect((await waitForOverlay(again)).message).toContain('Server function "takeNote"')
      await again.close()
    } finally {
      writeFileSync(notes, source)
    }
    await waitForNoOverlay(page)
    await expect.poll(() => page.textContent('button').catch(() => null), { timeout: 15_000 }).toBe('Add')
  })
})
