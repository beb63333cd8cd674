import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { call } from './support/calls.js'
import { copyFixture } from './support/fixtures.js'
import { run, startNodeServer, startServer, type RunningServer } from './support/processes.js'
import { vites } from './support/vites.js'

describe.each(vites)('$name: production build of an app without SSR', (vite) => {
  const app = copyFixture('spa')
  let output: string
  let server: RunningServer
  let clientCode: string

  beforeAll(async () => {
    // an ES2022 string export name, imported by name in the client
    writeFileSync(join(app.root, 'src/labels.ts'), "'use server'\n\nasync function shout(text: string) {\n  return text.toUpperCase() + '!'\n}\n\nexport { shout as '📣 shout' }\n")
    const main = join(app.root, 'src/main.ts')
    writeFileSync(main, `import { '📣 shout' as shout } from './labels'\nvoid shout('hi')\n${readFileSync(main, 'utf8')}`)
    output = await run(process.execPath, [vite.bin, 'build'], app.root)
    const assets = readdirSync(join(app.root, 'dist/client/assets'))
    clientCode = readFileSync(join(app.root, 'dist/client/assets', assets.find((f) => f.endsWith('.js'))!), 'utf8')
    server = await startNodeServer('dist/server/index.js', app.root)
  }, 120_000)
  afterAll(async () => {
    await server?.stop()
    app.remove()
  })

  test('prints a one-line summary', () => {
    expect(output).toMatch(/use-server: 3 functions in 2 modules \(0 inline\)/)
  })

  test('starts without USE_SERVER_KEY and without a warning about it: no function binds values', () => {
    expect(server.output()).not.toMatch(/USE_SERVER_KEY/)
  })

  test('the client bundle holds stubs, not server code', () => {
    expect(clientCode).not.toContain('formatGreeting')
    expect(clientCode).not.toContain('should not be reachable')
  })

  test('writes a manifest of exactly the functions the client kept', () => {
    const manifest = JSON.parse(readFileSync(join(app.root, 'dist/server/use-server-manifest.json'), 'utf8'))
    const entries = Object.values(manifest) as Array<{ export: string; chunk: string; source: string; kind: string; loc: { line: number } }>
    expect(entries.map((e) => e.export).sort()).toEqual(['add', 'greet', '📣 shout'])
    for (const entry of entries) {
      expect(entry).toMatchObject({ source: entry.export === '📣 shout' ? 'src/labels.ts' : 'src/actions.ts', kind: 'module' })
      expect(existsSync(join(app.root, 'dist/server', entry.chunk))).toBe(true)
    }
  })

  test('node dist/server/index.js serves the client build with the right types and caching', async () => {
    const page = await fetch(`${server.origin}/`)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('cache-control')).toBe('no-cache')
    const html = await page.text()
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!
    const asset = await fetch(`${server.origin}${script}`)
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await asset.text()).toBe(readFileSync(join(app.root, 'dist/client', script), 'utf8'))
    // client-side routes fall back to index.html; missing files and escapes do not
    expect(await (await fetch(`${server.origin}/posts/42`)).text()).toBe(html)
    expect((await fetch(`${server.origin}/assets/missing.js`)).status).toBe(404)
    expect((await fetch(`${server.origin}/..%2F..%2Fpackage.json`)).status).toBe(404)
    expect((await fetch(`${server.origin}/../server/index.js`)).status).not.toBe(200)
  })

  test("public/ is the client's: served from dist/client (dotfiles never), and not copied into dist/server", async () => {
    expect(existsSync(join(app.root, 'dist/client/robots.txt'))).toBe(true)
    expect(existsSync(join(app.root, 'dist/server/robots.txt'))).toBe(false)
    expect(existsSync(join(app.root, 'dist/server/.deploy-token'))).toBe(false)
    expect(await (await fetch(`${server.origin}/robots.txt`)).text()).toBe('User-agent: *\nAllow: /\n')
    const dotfile = await fetch(`${server.origin}/.deploy-token`)
    expect(dotfile.status).toBe(404)
    expect(await dotfile.text()).not.toContain('do-not-serve')
  })

  const idsOf = async (module = 'actions') => {
    const { transformServerFunctions } = await import('@use-server/transform')
    const file = join(app.root, `src/${module}.ts`)
    const { functions } = transformServerFunctions(readFileSync(file, 'utf8'), file, { target: 'client', root: app.root })!
    return new Map(functions.map((f) => [f.exportName, f.id]))
  }

  test('serves the functions the client uses', async () => {
    const ids = await idsOf()
    expect(clientCode).toContain(ids.get('add'))
    expect(await call(server.origin, ids.get('add')!, [2, 3])).toMatchObject({ status: 200, body: { value: 5 } })
    expect(await call(server.origin, ids.get('greet')!, ['Vite'])).toMatchObject({ status: 200, body: { value: 'Hello, Vite!' } })
  })

  test('a function exported under a string name is callable', async () => {
    const id = (await idsOf('labels')).get('📣 shout')!
    expect(clientCode).toContain(id)
    expect(await call(server.origin, id, ['hi'])).toMatchObject({ status: 200, body: { value: 'HI!' } })
  })

  test('a port in use or a PORT that is no port: one line that says so and how to fix it, exit 1', async () => {
    const port = new URL(server.origin).port
    const start = (PORT: string) => run(process.execPath, ['dist/server/index.js'], app.root, { PORT, HOST: '127.0.0.1' }).then(
      (output) => ({ code: 0, output }),
      (error: Error) => ({ code: 1, output: error.message }),
    )
    const taken = await start(port)
    expect(taken.code).toBe(1)
    expect(taken.output).toContain(`use-server: cannot listen on 127.0.0.1:${port}: the port is in use (another server, or an earlier one still running). Stop it, or set PORT to a free port.`)
    expect(taken.output).not.toMatch(/Unhandled 'error' event|\n\s+at /)
    for (const bad of ['abc', '70000', '3000.5', '-1', '0x10', '1e3', ' 80 ']) {
      const { code, output } = await start(bad)
      expect(code, bad).toBe(1)
      expect(output, bad).toContain(`use-server: PORT must be a port number from 0 to 65535, not "${bad}".`)
      expect(output, bad).not.toMatch(/\n\s+at /)
    }
  })

  test('an IPv6 HOST is announced as a URL that works; a HOST that is no name says so and how to fix it', async () => {
    const ipv6 = await startNodeServer('dist/server/index.js', app.root, { HOST: '::1' })
    try {
      expect(ipv6.origin).toMatch(/^http:\/\/\[::1\]:\d+$/) // was http://::1:<port>, no URL at all
      expect((await fetch(ipv6.origin)).status).toBe(200)
    } finally {
      await ipv6.stop()
    }
    const unknown = await run(process.execPath, ['dist/server/index.js'], app.root, { PORT: '0', HOST: 'no-such-host.invalid' }).then(
      () => '',
      (error: Error) => error.message,
    )
    expect(unknown).toContain('use-server: cannot listen on no-such-host.invalid:0: HOST is no address of this machine (nor a name that resolves to one). Set HOST to one of its addresses, or leave it unset for all.')
  })

  // With its descriptors used up, accept() fails with EMFILE. An 'error' on the server, unheard, would end
  // the process for everyone; libuv closes the connections it cannot take instead, and the server goes on.
  test('out of file descriptors: connections are refused meanwhile, and the server goes on', async () => {
    const limited = await startServer('sh', ['-c', `ulimit -n 40 && exec "${process.execPath}" dist/server/index.js`], app.root, { PORT: '0', HOST: '127.0.0.1' })
    const { hostname, port } = new URL(limited.origin)
    const sockets = Array.from({ length: 80 }, () => connect(Number(port), hostname).on('error', () => {}))
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      expect(limited.child.exitCode).toBeNull()
      for (const socket of sockets) socket.destroy()
      await vi.waitFor(async () => expect((await fetch(limited.origin)).status).toBe(200), { timeout: 10_000, interval: 200 })
      expect(limited.output()).not.toMatch(/Unhandled 'error' event|EMFILE/)
    } finally {
      for (const socket of sockets) socket.destroy()
      await limited.stop()
    }
  })

  test('the inspector exists in development only', async () => {
    for (const accept of ['application/json', 'text/html']) {
      const response = await fetch(`${server.origin}/_server`, { headers: { accept } })
      expect(response.status).toBeGreaterThanOrEqual(400)
      expect(await response.text()).not.toMatch(/placeOrder|"functions"|server functions/)
    }
  })

  test('an export no client module imports answers 404', async () => {
    const id = (await idsOf()).get('neverImported')!
    expect(clientCode).not.toContain(id)
    expect(await call(server.origin, id, [])).toMatchObject({ status: 404 })
  })

  describe('vite preview of the same build', () => {
    let preview: RunningServer
    beforeAll(async () => {
      preview = await startServer(process.execPath, [vite.bin, 'preview', '--port', '0', '--host', '127.0.0.1'], app.root, {}, /Local:\s+(http:\/\/\S+)/)
    })
    afterAll(() => preview?.stop())

    test('serves the client build (dist/client), never the server build beside it', async () => {
      const html = await (await fetch(`${preview.origin}/`)).text()
      expect(html).toBe(readFileSync(join(app.root, 'dist/client/index.html'), 'utf8'))
      for (const path of ['/server/use-server-manifest.json', '/server/index.js', '/../server/index.js', '/%2e%2e/server/index.js']) {
        const text = await (await fetch(`${preview.origin}${path}`)).text()
        expect(text, path).not.toMatch(/startProductionServer|"export":/)
      }
    })

    test('serves the built functions, with the production server’s checks', async () => {
      const ids = await idsOf()
      expect(await call(preview.origin, ids.get('add')!, [2, 3])).toMatchObject({ status: 200, body: { value: 5 } })
      expect(await call(preview.origin, ids.get('neverImported')!, [])).toMatchObject({ status: 404 })
      const post = (headers: Record<string, string>, body: string) => fetch(`${preview.origin}/_server/${ids.get('add')}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
      expect((await post({ origin: 'https://evil.example' }, '[[1,2],1,2]')).status).toBe(403)
      expect((await post({}, `[${'1,'.repeat(600_000)}1]`)).status).toBe(413) // over the 1 MB body limit
      expect((await post({}, '[{"__proto__":1}]')).status).toBe(400)
      expect((await fetch(`${preview.origin}/_server/${ids.get('add')}`)).status).toBe(405)
    })
  })
})
