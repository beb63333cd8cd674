import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { copyFixture } from '../vite/support/fixtures.js'
import { launchChromium, openPage } from './support/browser.js'

// A page calls connectRevalidations() on a server whose `events` option is off (the default): the
// browser's EventSource says only "Failed to load resource: 404", again at every retry. The page
// says once, in the console, what the server answered and how to turn the stream on.

const app = copyFixture('spa')
let browser: Browser
let server: ViteDevServer
let origin: string

beforeAll(async () => {
  const main = join(app.root, 'src/main.ts')
  // ?throwing-fetch: the app's own fetch throws at once for the stream's URL (before any promise)
  const throwing = "if (location.search === '?throwing-fetch') configure({ fetch: (input, init) => { if (String(input).endsWith('$events')) throw new TypeError('no'); return fetch(input, init) } })\n"
  writeFileSync(main, `import { configure, connectRevalidations } from '@use-server/runtime/client'\n${throwing}connectRevalidations()\n${readFileSync(main, 'utf8')}`)
  const { createServer } = await import('vite')
  ;[browser, server] = await Promise.all([
    launchChromium(),
    createServer({ root: app.root, configFile: join(app.root, 'vite.config.ts'), logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } }),
  ])
  await server.listen()
  origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '')
}, 90_000)
afterAll(async () => {
  await browser?.close()
  await server?.close()
  app.remove()
})

test('a server without `events`: one console warning that quotes its answer, and the page goes on', { timeout: 60_000 }, async () => {
  const { page, context } = await openPage(browser)
  const warnings: string[] = []
  let refusals = 0
  page.on('console', (message) => void (message.type() === 'warning' && warnings.push(message.text())))
  page.on('response', (response) => void (response.request().resourceType() === 'eventsource' && response.status() === 404 && refusals++))
  await page.goto(origin)
  await vi.waitFor(async () => expect(await page.textContent('#result')).toBe('5 Hello, Vite!'), { timeout: 30_000, interval: 200 })
  await vi.waitFor(() => expect(warnings.filter((text) => text.includes('connectRevalidations'))).toHaveLength(1), { timeout: 10_000 })
  expect(warnings.find((text) => text.includes('connectRevalidations'))).toBe(
    'use-server: connectRevalidations() could not open /_server/$events (404): This server does not push revalidations: turn the stream on with the `events` option (useServer({ events: true }) or the handler\'s). It tries again now and then.',
  )
  // it still retries (the server may be redeployed with events on), without saying it again
  await vi.waitFor(() => expect(refusals).toBeGreaterThanOrEqual(3), { timeout: 15_000, interval: 200 })
  expect(warnings.filter((text) => text.includes('connectRevalidations'))).toHaveLength(1)
  await context.close()
})

test('a host that answers 200 with a page (a static host falling back to index.html): one warning that says so', { timeout: 60_000 }, async () => {
  const { page, context } = await openPage(browser)
  const warnings: string[] = []
  page.on('console', (message) => void (message.type() === 'warning' && warnings.push(message.text())))
  await page.route('**/_server/$events', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>app</title>' }))
  await page.goto(origin)
  await vi.waitFor(async () => expect(await page.textContent('#result')).toBe('5 Hello, Vite!'), { timeout: 30_000, interval: 200 })
  await vi.waitFor(() => expect(warnings.filter((text) => text.includes('connectRevalidations'))).toHaveLength(1), { timeout: 10_000 })
  expect(warnings.find((text) => text.includes('connectRevalidations'))).toBe(
    'use-server: connectRevalidations() could not open /_server/$events (200): not an event stream (text/html). It tries again now and then.',
  )
  await context.close()
})

test("an app's fetch that throws at once for the stream: no explanation, and the retries go on", { timeout: 60_000 }, async () => {
  const { page, context } = await openPage(browser)
  let refusals = 0
  page.on('response', (response) => void (response.request().resourceType() === 'eventsource' && response.status() === 404 && refusals++))
  await page.goto(`${origin}/?throwing-fetch`)
  await vi.waitFor(async () => expect(await page.textContent('#result')).toBe('5 Hello, Vite!'), { timeout: 30_000, interval: 200 })
  await vi.waitFor(() => expect(refusals).toBeGreaterThanOrEqual(2), { timeout: 15_000, interval: 200 })
  await context.close()
})
