import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, expect, test } from 'vitest'

type ClientModule = typeof import('@use-server/runtime/client')
type Stub = (...args: any[]) => Promise<any>

export interface Target {
  /** Where the functions answer, e.g. `http://127.0.0.1:3000`. */
  origin: string
  /** The build's `use-server-manifest.json`. */
  manifest: string
}

/**
 * The calls every way of serving the fixture app must answer (plain, codec types, cookies, upload,
 * stream, bound function, error digest), made by the runtime's client as installed from npm in the
 * app, over real HTTP. Defines one test per call; `target` is read when they run.
 */
export function defineCallTests(appRoot: () => string, target: () => Target): void {
  let client: ClientModule
  let fn: Record<string, Stub>
  const cookies = new Map<string, string>()
  const setCookies: string[] = []
  const bodies: string[] = []

  beforeAll(async () => {
    const entry = join(appRoot(), 'node_modules/@use-server/runtime/dist/client/index.js')
    client = (await import(pathToFileURL(entry).href)) as ClientModule
    const manifest = JSON.parse(readFileSync(target().manifest, 'utf8')) as Record<string, { export: string; kind: string }>
    fn = Object.fromEntries(Object.entries(manifest).filter(([, entry]) => entry.kind === 'module').map(([id, entry]) => [entry.export, client.createServerReference(id, entry.export)]))
    // Stubs made by hand, not by the transform (which makes a module that streams call it).
    client.enableStreams()
    // A browser's cookie jar, reduced to what these calls need; every answer's text kept for inspection.
    client.configure({
      base: `${target().origin}/_server`,
      parallel: false,
      fetch: async (input, init) => {
        const headers = new Headers(init?.headers)
        if (cookies.size) headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '))
        const response = await fetch(input, { ...init, headers })
        for (const header of response.headers.getSetCookie()) {
          setCookies.push(header)
          const [pair] = header.split(';')
          const eq = pair!.indexOf('=')
          cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1))
        }
        if (!response.headers.get('content-type')?.startsWith('application/x-use-server-stream')) bodies.push(await response.clone().text())
        return response
      },
    })
  })

  test('plain: add(2, 3)', async () => {
    expect(await fn.add!(2, 3)).toBe(5)
  })

  test('codec types arrive intact both ways (Date, Map, Set, BigInt, undefined, NaN, -0, URL, typed arrays, cycles)', async () => {
    const shared = { name: 'shared' }
    const value: Record<string, unknown> = {
      date: new Date('2026-01-02T03:04:05.678Z'),
      map: new Map<unknown, unknown>([[1, { big: 2n ** 70n }], ['k', new Set(['a', 'b'])]]),
      missing: undefined,
      numbers: [NaN, -0, -Infinity, Infinity, 0.1],
      url: new URL('https://example.com/a?b=c#d'),
      bytes: new Uint8Array([0, 1, 255]),
      floats: new Float64Array([1.5, -2.25]),
      pair: [shared, shared],
    }
    value.self = value
    const back = (await fn.echo!(value)) as typeof value & { pair: object[]; self: unknown; numbers: number[] }
    expect(back).toEqual(value)
    expect(Object.is(back.numbers[1], -0)).toBe(true)
    expect(back.pair[0]).toBe(back.pair[1])
    expect(back.self).toBe(back)
    expect('missing' in back).toBe(true)
  })

  test('cookies: set by one call (HttpOnly, SameSite), read by the next', async () => {
    expect(await fn.readTheme!()).toBe(null)
    expect(await fn.setTheme!('dark')).toBe('dark')
    expect(setCookies.at(-1)).toMatch(/^theme=dark;.*Max-Age=3600.*HttpOnly.*SameSite=Lax/i)
    expect(await fn.readTheme!()).toBe('dark')
  })

  test('upload: a File arrives as a File (name, type, size, bytes)', async () => {
    const file = new File(['héllo, wörld'], 'note.txt', { type: 'text/plain' })
    // Bun adds the charset it decoded with to a text part's type.
    expect(await fn.upload!(file)).toEqual({ name: 'note.txt', type: expect.stringMatching(/^text\/plain(;charset=utf-8)?$/), size: 14, text: 'héllo, wörld' })
  })

  test('stream: an async generator’s values arrive one by one', async () => {
    const seen: number[] = []
    for await (const n of (await fn.countTo!(4)) as AsyncIterable<number>) seen.push(n)
    expect(seen).toEqual([1, 2, 3, 4])
  })

  test('bound function: its captured values travel sealed and reach it on the next call', async () => {
    const counter = (await fn.makeCounter!(10)) as Stub
    expect(typeof counter).toBe('function')
    expect(bodies.at(-1)).not.toContain('counter-secret') // sealed: the browser cannot read them
    expect(await counter(5)).toEqual({ total: 15, label: 'counter-secret-10' })
  })

  test('error: production sends a digest, never the message', async () => {
    const error = await fn.crash!().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(client.ServerFunctionError)
    const { message, code, digest } = error as InstanceType<ClientModule['ServerFunctionError']>
    expect(code).toBe('INTERNAL_ERROR')
    expect(digest).toMatch(/^[0-9a-f]{10}$/)
    expect(message).toContain(digest!)
    expect(message).not.toContain('hunter2')
    expect(bodies.at(-1)).not.toContain('hunter2')
  })
}
