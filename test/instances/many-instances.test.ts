import { configure, createServerReference } from '@use-server/runtime/client'
import { parse, stringify } from 'devalue'
import { mkdirSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { launchChromium, openPage, screenshotDir } from '../e2e/support/browser.js'
import { startRedis, type RedisServer } from '../support/redisServer.js'
import { copyFixture } from '../vite/support/fixtures.js'
import { run, startNodeServer, type RunningServer } from '../vite/support/processes.js'
import { vites } from '../vite/support/vites.js'
import { startRoundRobinProxy, type RoundRobinProxy } from './support/roundRobinProxy.js'

// Three production servers of one build (`node dist/server/index.js` of fixtures/apps/instances)
// behind a round-robin proxy, sharing a real redis-server through the app's server config module:
// the cache, revalidations pushed to a browser, a key rotation and a graceful shutdown, as an
// operator would see them.

const OLD_KEY = Buffer.alloc(32, 1).toString('base64')
const NEW_KEY = Buffer.alloc(32, 2).toString('base64')
type Name = 'a' | 'b' | 'c'
const names: Name[] = ['a', 'b', 'c']

let redis: RedisServer
let app: ReturnType<typeof copyFixture>
let ids: Record<string, string>
let proxy: RoundRobinProxy
let browser: Browser | undefined
const instances = {} as Record<Name, RunningServer>

function start(name: Name, keys: Record<string, string> = { USE_SERVER_KEY: OLD_KEY }): Promise<RunningServer> {
  return startNodeServer('dist/server/index.js', app.root, { INSTANCE: name, REDIS_URL: redis.url, REDIS_PREFIX: 'instances:', DATA_FILE: join(app.root, 'data.json'), ...keys })
}

beforeAll(async () => {
  app = copyFixture('instances')
  ;[redis] = await Promise.all([startRedis(), run(process.execPath, [vites[0].bin, 'build'], app.root)])
  ids = idsOf(app.root)
  await Promise.all(names.map(async (name) => (instances[name] = await start(name))))
  proxy = await startRoundRobinProxy(names.map((name) => instances[name].origin))
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await proxy?.close()
  await Promise.all(Object.values(instances).map((instance) => instance.stop()))
  await redis?.stop()
  app?.remove()
})

/** Function ids by export name, from the build's manifest. */
function idsOf(root: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(root, 'dist/server/use-server-manifest.json'), 'utf8')) as Record<string, { export: string }>
  return Object.fromEntries(Object.entries(manifest).map(([id, entry]) => [entry.export, id]))
}

/** A call straight to one instance, as the client makes it; the answer's value (or its error). */
async function call<T = unknown>(origin: string, name: string, args: unknown[] = []): Promise<T> {
  const response = await fetch(`${origin}/_server/${ids[name]}`, { method: 'POST', body: stringify(args), headers: { 'content-type': 'application/json' } })
  const envelope = parse(await response.text()) as { value?: T; error?: { message: string } }
  if (envelope.error) throw new Error(`${name} on ${origin}: ${response.status} ${envelope.error.message}`)
  return envelope.value as T
}

interface Counter {
  value: number
  filledBy: Name
}

describe('three instances behind a round-robin proxy, one Redis', () => {
  test('a value cached by A is a hit on B and C', async () => {
    await call(instances.a.origin, 'bumpCounter') // starts from an invalidated counter
    const filled = await call<Counter>(instances.a.origin, 'readCounter')
    expect(filled.filledBy).toBe('a')
    expect(await call<Counter>(instances.b.origin, 'readCounter')).toEqual(filled)
    expect(await call<Counter>(instances.c.origin, 'readCounter')).toEqual(filled)
  })

  test('revalidateTag on A drops the value on B and C (their local copies too), at once', async () => {
    // B and C read it: each now holds a local copy
    const before = await call<Counter>(instances.b.origin, 'readCounter')
    expect(await call<Counter>(instances.c.origin, 'readCounter')).toEqual(before)
    const bumped = await call<{ value: number }>(instances.a.origin, 'bumpCounter')
    expect(bumped.value).toBe(before.value + 1)
    const onB = await call<Counter>(instances.b.origin, 'readCounter')
    expect(onB).toEqual({ value: bumped.value, filledBy: 'b' })
    expect(await call<Counter>(instances.c.origin, 'readCounter')).toEqual(onB)
    // the server config module's hook heard it, on the instance that revalidated
    expect(instances.a.output()).toContain('[onRevalidate] tags=counter paths=')
    expect(instances.b.output()).not.toContain('[onRevalidate]')
  })

  test('a browser connected to C sees its query refresh after a call on A', async () => {
    browser = await launchChromium()
    const { page } = await openPage(browser)
    const stream = page.waitForResponse((response) => response.url().endsWith('/_server/$events'))
    await page.goto(`${instances.c.origin}/`)
    await page.locator('html[data-ready]').waitFor()
    expect((await stream).status()).toBe(200)
    const shown = Number(await page.locator('#counter').textContent())
    const bumped = await call<{ value: number }>(instances.a.origin, 'bumpCounter')
    expect(bumped.value).toBe(shown + 1)
    await expect.poll(() => page.locator('#counter').textContent()).toBe(String(bumped.value))
    mkdirSync(screenshotDir, { recursive: true })
    await page.screenshot({ path: join(screenshotDir, 'instances-browser-on-c.png') })
  })

  test('a key rotation in the documented order, instance by instance, never fails a call through the proxy', async () => {
    configure({ base: `${proxy.origin}/_server` })
    const greeter = createServerReference(ids.greeter!, 'greeter') as (name: string) => Promise<() => Promise<string>>
    // A page loaded before the rotation keeps its sealed function through the first two steps.
    const oldPage = await greeter('old page')
    const failures: unknown[] = []
    let calls = 0
    let running = true
    const traffic = (async () => {
      while (running) {
        try {
          // sealed by one instance, opened by the next one
          const greet = await greeter(`call ${calls}`)
          expect(await greet()).toMatch(new RegExp(`^hello call ${calls}, from [abc]$`))
          calls++
        } catch (error) {
          failures.push(error)
        }
      }
    })()
    const rolling = async (keys: Record<string, string>) => {
      for (const name of names) {
        const target = instances[name].origin
        proxy.targets.splice(proxy.targets.indexOf(target), 1) // the balancer drains it
        await instances[name].stop()
        instances[name] = await start(name, keys)
        proxy.targets.push(instances[name].origin)
        const at = calls
        await vi.waitFor(() => expect(calls).toBeGreaterThan(at + 3), { timeout: 10_000 })
      }
      expect(await oldPage()).toMatch(/^hello old page, from [abc]$/)
    }
    // 1. every instance learns the next key (still sealing with the current one)
    await rolling({ USE_SERVER_KEY: OLD_KEY, USE_SERVER_NEXT_KEYS: NEW_KEY })
    // 2. every instance seals with the new key, and still opens the old one
    await rolling({ USE_SERVER_KEY: NEW_KEY, USE_SERVER_PREVIOUS_KEYS: OLD_KEY })
    // 3. once pages older than step 2 are gone, the old key goes
    running = false
    await traffic
    for (const name of names) {
      await instances[name].stop()
      instances[name] = await start(name, { USE_SERVER_KEY: NEW_KEY })
    }
    proxy.targets.splice(0, proxy.targets.length, ...names.map((name) => instances[name].origin))
    expect(failures).toEqual([])
    expect(calls).toBeGreaterThan(20)
    expect(await (await greeter('after'))()).toMatch(/^hello after, from [abc]$/)
    // a page from before step 2 now fails, clearly: why the old key stays until such pages are gone
    await expect(oldPage()).rejects.toMatchObject({ status: 400 })
  }, 120_000)

  test('SIGTERM during a call: the call is answered, event streams get a reconnection hint, the process exits 0', async () => {
    const instance = instances.b
    const events = await fetch(`${instance.origin}/_server/$events`)
    let streamed = ''
    const streaming = (async () => {
      const decoder = new TextDecoder()
      const reader = events.body!.getReader()
      for (let read = await reader.read(); !read.done; read = await reader.read()) streamed += decoder.decode(read.value, { stream: true })
    })()
    const answered = call<string>(instance.origin, 'slow', [1500])
    await vi.waitFor(() => expect(instance.output()).toContain('[slow] started on b'))
    const exited = new Promise<number | null>((resolve) => instance.child.once('exit', (code) => resolve(code)))
    instance.child.kill('SIGTERM')
    await vi.waitFor(() => expect(instance.output()).toContain('SIGTERM: no new connections'))
    // no new connections…
    const refused = await new Promise<string>((resolve) => connect(Number(new URL(instance.origin).port), '127.0.0.1').once('connect', () => resolve('accepted')).once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error')))
    expect(refused).toBe('ECONNREFUSED')
    // …while the one in flight is answered
    expect(await answered).toBe('slept 1500 ms on b')
    expect(await exited).toBe(0)
    await streaming
    expect(streamed).toMatch(/retry: 500\n\n$/)
    expect(instance.output()).toMatch(/finishing \d+ requests? in flight \(at most 5 s\), then exiting\.[\s\S]*use-server: stopped\./)
  })
})
