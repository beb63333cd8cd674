import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { run, startServer, type RunningServer } from '../vite/support/processes.js'
import { defineCallTests } from './support/callSuite.js'
import { publishedApp } from './support/publishedApp.js'
import { runtimeBinary } from './support/runtimeBinaries.js'

// The fixture app installed from the packed packages, built once with vite.fetch.config.ts (one Fetch
// handler, src/server.ts), then served by each runtime as the README's recipes say. Each runtime's
// binary comes from its npm package (test/published/package.json).
const KEY = Buffer.alloc(32, 9).toString('base64')
let root: string

beforeAll(async () => {
  root = (await publishedApp()).root
  await run(join(root, 'node_modules/.bin/vite'), ['build', '--config', 'vite.fetch.config.ts'], root)
}, 300_000)

const manifest = () => join(root, 'dist-fetch/server/use-server-manifest.json')

/** Starts a runtime, runs the shared calls against it, stops it. */
function describeTarget(name: string, start: () => Promise<RunningServer>, more?: (server: () => RunningServer) => void) {
  describe(name, () => {
    let server: RunningServer
    beforeAll(async () => {
      server = await start()
    }, 60_000)
    afterAll(() => server?.stop())

    defineCallTests(() => root, () => ({ origin: server.origin, manifest: manifest() }))

    test('uses the configured key: no warning about a missing USE_SERVER_KEY', () => {
      expect(server.output()).not.toMatch(/USE_SERVER_KEY is not set/)
    })

    test('the server logged the failure in full, under the digest the caller got', () => {
      expect(server.output()).toMatch(/server function "crash" \([\w-]+\) failed \[digest [0-9a-f]{10}\][\s\S]*database password is hunter2/)
    })
    more?.(() => server)
  })
}

describeTarget('Bun (Bun.serve)', () => startServer(runtimeBinary('bun'), ['serve.bun.js'], root, { PORT: '0', HOST: '127.0.0.1', USE_SERVER_KEY: KEY }))

describeTarget('Deno (Deno.serve), with only the permissions the recipe grants', () =>
  startServer(runtimeBinary('deno'), ['run', '--no-prompt', '--allow-net=127.0.0.1', '--allow-read=dist-fetch', '--allow-env=USE_SERVER_KEY,PORT,HOST', 'serve.deno.js'], root, {
    PORT: '0',
    HOST: '127.0.0.1',
    USE_SERVER_KEY: KEY,
    DENO_NO_UPDATE_CHECK: '1',
  }),
)

/** workerd serving the README's wrangler.jsonc, with `vars` added (the key stands for a secret binding) and flags replaced. */
function startWorkerd(vars: Record<string, string>, compatibilityFlags?: string[]): Promise<RunningServer> {
  // workerd bundles `main` with esbuild, as wrangler does, and prints its port on the control fd (stdout).
  const config = JSON.parse(readFileSync(join(root, 'wrangler.jsonc'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>
  const file = `wrangler.test-${Object.keys(vars).join('-') || 'plain'}.jsonc`
  writeFileSync(join(root, file), JSON.stringify({ ...config, vars, ...(compatibilityFlags && { compatibility_flags: compatibilityFlags }) }))
  return startServer(
    runtimeBinary('workerd'),
    ['serve', file, '--experimental', '--socket-addr', 'http=127.0.0.1:0', '--control-fd', '1'],
    root,
    { WORKERD_ESBUILD: runtimeBinary('esbuild') },
    /"event":"listen","socket":"http","port":(\d+)/,
    (port) => `http://127.0.0.1:${port}`,
  )
}

describeTarget('workerd (a Cloudflare Worker from wrangler.jsonc, key and mode from bindings)', () => startWorkerd({ USE_SERVER_KEY: KEY }), (server) => {
  test('the client build is served from the assets directory', async () => {
    const page = await fetch(`${server().origin}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<p id="greeting">')
  })

  test('a USE_SERVER_DEV=true binding is development: the caller gets the message', async () => {
    const dev = await startWorkerd({ USE_SERVER_KEY: KEY, USE_SERVER_DEV: 'true' })
    try {
      const id = Object.entries(JSON.parse(readFileSync(manifest(), 'utf8')) as Record<string, { export: string }>).find(([, entry]) => entry.export === 'crash')![0]
      const response = await fetch(`${dev.origin}/_server/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[[]]' })
      expect(response.status).toBe(500)
      expect(await response.text()).toContain('database password is hunter2')
    } finally {
      await dev.stop()
    }
  })

  // What the README says about the flag: without it the Worker does not start at all.
  test('without nodejs_compat the Worker does not start, and workerd says which module is missing', async () => {
    const failure = await startWorkerd({ USE_SERVER_KEY: KEY }, []).then(
      async (started) => (await started.stop(), 'started'),
      (error: Error) => error.message,
    )
    expect(failure).toMatch(/No such module "node:(async_hooks|stream|util|events|crypto|module)"/)
  })
})
