import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunnableDevEnvironment, ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { call, stubsIn } from './support/calls.js'
import { copyFixture } from './support/fixtures.js'
import { vites } from './support/vites.js'

// Saving a server function while calls keep coming: a call never answers with code older than the
// newest the dev server has answered with, and each save is answered in the end. The dev server
// starts the runtime, the module runner and the function's module while it already listens: a call
// sent the moment it listens, or from another site, finds all of it in order.

const source = (value: number) => `'use server'

import { formatGreeting } from './format'

export async function version(): Promise<number> {
  return ${value}
}

export async function greet(name: string) {
  return formatGreeting(name)
}

export async function where(): Promise<string> {
  return import.meta.resolve('./format.ts')
}
`

describe.each(vites)('$name: dev server, edits and starts', (vite) => {
  const app = copyFixture('spa')
  const file = join(app.root, 'src/versions.ts')
  let server: ViteDevServer
  let origin: string
  let id: (name: string) => string

  const start = async () => {
    const { createServer } = await vite.load()
    const started = await createServer({ root: app.root, configFile: join(app.root, 'vite.config.ts'), logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } })
    await started.listen()
    return { server: started, origin: started.resolvedUrls!.local[0]!.replace(/\/$/, '') }
  }

  beforeAll(async () => {
    writeFileSync(file, source(0))
    ;({ server, origin } = await start())
    const stubs = stubsIn(await (await fetch(`${origin}/src/versions.ts`)).text())
    id = (name) => stubs.get(name)!
  })
  afterAll(async () => {
    await server?.close()
    app.remove()
  })

  const version = async () => {
    const { status, body } = await call(origin, id('version'), [])
    expect(status).toBe(200)
    return (body as { value: number }).value
  }

  /** Calls until `expected` answers; every answer on the way is no older than the one before it. */
  async function callUntil(expected: number, answers: number[]): Promise<void> {
    const deadline = Date.now() + 10_000
    for (;;) {
      const value = await version()
      expect(value).toBeGreaterThanOrEqual(answers.at(-1) ?? 0)
      answers.push(value)
      if (value === expected) return
      expect(Date.now()).toBeLessThan(deadline)
    }
  }

  test('edit, then call at once, twelve times over: every save is answered, and never by older code', async () => {
    const answers: number[] = []
    await callUntil(0, answers)
    for (let n = 1; n <= 12; n++) {
      writeFileSync(file, source(n))
      await callUntil(n, answers)
    }
    // the last save stays: no answer falls back to an earlier one
    for (let i = 0; i < 10; i++) expect(await version()).toBe(12)
    await new Promise((r) => setTimeout(r, 300))
    expect(await version()).toBe(12)
  }, 60_000)

  test('two saves in quick succession: calls end on the second, and never go back once it answered', async () => {
    const answers: number[] = [await version()]
    writeFileSync(file, source(100))
    writeFileSync(file, source(200))
    await callUntil(200, answers)
    for (let i = 0; i < 10; i++) expect(await version()).toBe(200)
    await new Promise((r) => setTimeout(r, 300))
    expect(await version()).toBe(200)
  }, 30_000)

  test('calls in flight while the file is saved are all answered, with the old code or the new', async () => {
    const before = await version()
    const inFlight = Array.from({ length: 20 }, () => call(origin, id('version'), []))
    writeFileSync(file, source(before + 1))
    inFlight.push(...Array.from({ length: 20 }, () => call(origin, id('version'), [])))
    for (const { status, body } of await Promise.all(inFlight)) {
      expect(status).toBe(200)
      expect([before, before + 1]).toContain((body as { value: number }).value)
    }
    await vi.waitFor(async () => expect(await version()).toBe(before + 1), { timeout: 10_000, interval: 20 })
  }, 30_000)

  test('import.meta.resolve works in a server function', async () => {
    const { status, body } = await call(origin, id('where'), [])
    expect(status).toBe(200)
    expect((body as { value: string }).value).toBe(new URL('src/format.ts', `file://${app.root}/`).href)
  })

  test('import.meta in a server function is what Vite gives the same module without the plugin', async () => {
    const metaFile = join(app.root, 'src/meta.ts')
    writeFileSync(
      metaFile,
      `'use server'

export async function meta() {
  const m = import.meta
  return {
    keys: Object.keys(m).sort(),
    url: m.url,
    filename: m.filename,
    dirname: m.dirname,
    main: m.main,
    env: [import.meta.env.MODE, import.meta.env.DEV, import.meta.env.PROD, import.meta.env.SSR, import.meta.env.BASE_URL],
    hot: typeof m.hot,
    resolved: m.resolve('./format.ts'),
    resolvedFrom: m.resolve('./format.ts', new URL('../', m.url).href),
    glob: Object.keys(import.meta.glob('./format.ts')),
  }
}
`,
    )
    const { createServer } = await vite.load()
    const plain = await createServer({ root: app.root, configFile: false, logLevel: 'silent', server: { middlewareMode: true } })
    try {
      // the server environment's own runner, as Vite 6 and later give every app
      const expected = await (await (plain.environments.ssr as RunnableDevEnvironment).runner.import<{ meta: () => Promise<unknown> }>('/src/meta.ts')).meta()
      const id = await vi.waitFor(
        async () => {
          const listed = (await (await fetch(`${origin}/_server`, { headers: { accept: 'application/json' } })).json()) as { functions: Array<{ id: string; name: string }> }
          return listed.functions.find((entry) => entry.name === 'meta')!.id
        },
        { timeout: 10_000, interval: 50 },
      )
      const { status, body } = await call(origin, id, [])
      expect(status).toBe(200)
      expect((body as { value: unknown }).value).toEqual(expected)
    } finally {
      await plain.close()
    }
  }, 30_000)

  test('a call sent the moment a fresh dev server listens is answered: the runtime and the scan are waited for', async () => {
    // ids are the same on every start, so the call needs no page (and nothing has loaded a module yet)
    const fresh = await start()
    try {
      const [greeting, current] = await Promise.all([call(fresh.origin, id('greet'), ['Vite']), call(fresh.origin, id('version'), [])])
      expect(greeting).toMatchObject({ status: 200, body: { value: 'Hello, Vite!' } })
      expect(current).toMatchObject({ status: 200, body: { value: await version() } })
    } finally {
      await fresh.server.close()
    }
  }, 30_000)

  test('calls racing server.close() on a fresh server end, answered or cut off, and an unknown id is a 404 before and after the scan', async () => {
    const fresh = await start()
    const unknownEarly = call(fresh.origin, 'AAAAAAAAAAAAAAAA', [])
    const known = await start()
    try {
      expect((await unknownEarly).status).toBe(404)
      expect((await call(fresh.origin, 'AAAAAAAAAAAAAAAA', [])).status).toBe(404)
      for (const odd of ['__proto__', 'constructor', 'toString', '%00', 'a%2F..%2F..', 'x'.repeat(4000), '%E0%A4%A']) {
        expect((await call(fresh.origin, odd, [])).status, odd.slice(0, 20)).toBe(404)
      }
      const racing = Promise.allSettled(Array.from({ length: 6 }, () => call(known.origin, id('greet'), ['Vite'])))
      await new Promise((done) => setTimeout(done, 5))
      await known.server.close()
      for (const outcome of await racing) {
        if (outcome.status === 'fulfilled') expect([200, 503]).toContain(outcome.value.status)
        else expect(String(outcome.reason)).toMatch(/fetch failed|other side closed|ECONNRESET|socket/i)
      }
    } finally {
      await fresh.server.close()
      await known.server.close()
    }
  }, 30_000)

  test('a deleted server function module, or one whose directive is taken out, answers 404 (never 500, never the export), and works again once restored', async () => {
    const file = join(app.root, 'src/deleted.ts')
    const text = "'use server'\n\nexport async function gone() {\n  return 'here'\n}\n"
    writeFileSync(file, text)
    const goneId = await vi.waitFor(
      async () => {
        const listed = (await (await fetch(`${origin}/_server`, { headers: { accept: 'application/json' } })).json()) as { functions: Array<{ id: string; name: string }> }
        return listed.functions.find((entry) => entry.name === 'gone')!.id
      },
      { timeout: 10_000, interval: 50 },
    )
    expect(await call(origin, goneId, [])).toMatchObject({ status: 200, body: { value: 'here' } })
    rmSync(file)
    await vi.waitFor(async () => expect((await call(origin, goneId, [])).status).toBe(404), { timeout: 10_000, interval: 50 })
    writeFileSync(file, text) // the same text as before the delete
    await vi.waitFor(async () => expect(await call(origin, goneId, [])).toMatchObject({ status: 200, body: { value: 'here' } }), { timeout: 10_000, interval: 50 })
    // the directive taken out: an ordinary module, whose exports no call may reach
    writeFileSync(file, text.replace("'use server'\n", ''))
    await vi.waitFor(async () => expect((await call(origin, goneId, [])).status).toBe(404), { timeout: 10_000, interval: 50 })
    writeFileSync(file, text)
    await vi.waitFor(async () => expect(await call(origin, goneId, [])).toMatchObject({ status: 200, body: { value: 'here' } }), { timeout: 10_000, interval: 50 })
  }, 30_000)

  test('a call from another site is refused before the function’s module runs', async () => {
    writeFileSync(join(app.root, 'src/sideEffect.ts'), "'use server'\n\nconst shared = globalThis as { __sideEffectLoads?: number }\nshared.__sideEffectLoads = (shared.__sideEffectLoads ?? 0) + 1\n\nexport async function ping() {\n  return 'pong'\n}\n")
    const fresh = await start()
    try {
      const pingId = await vi.waitFor(
        async () => {
          const listed = (await (await fetch(`${fresh.origin}/_server`, { headers: { accept: 'application/json' } })).json()) as { functions: Array<{ id: string; name: string }> }
          const found = listed.functions.find((entry) => entry.name === 'ping')
          expect(found).toBeDefined()
          return found!.id
        },
        { timeout: 10_000, interval: 50 },
      )
      const loads = () => (globalThis as { __sideEffectLoads?: number }).__sideEffectLoads ?? 0
      const before = loads()
      // every request the runtime refuses: a preload would run the module's code for it
      const crossSite: Array<Record<string, string>> = [
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
        { 'sec-fetch-site': 'none' },
        { 'sec-fetch-site': 'same-origin', origin: 'null' },
        { origin: 'https://evil.example' },
        { referer: 'https://evil.example/page' },
      ]
      for (const headers of crossSite) {
        const response = await fetch(`${fresh.origin}/_server/${pingId}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '[[]]' })
        expect(response.status).toBe(403)
      }
      expect(loads()).toBe(before)
      expect(await call(fresh.origin, pingId, [])).toMatchObject({ status: 200, body: { value: 'pong' } })
      expect(loads()).toBe(before + 1)
    } finally {
      await fresh.server.close()
    }
  }, 30_000)

  test('the fixture module the other tests edit is untouched', () => {
    expect(readFileSync(join(app.root, 'src/actions.ts'), 'utf8')).toContain('return a + b')
  })
})
