import { cpSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { call, stubsIn } from './support/calls.js'
import { copyFixture, repoRoot } from './support/fixtures.js'
import { run, startNodeServer, type RunningServer } from './support/processes.js'
import { vites } from './support/vites.js'

function installPackage(root: string) {
  cpSync(join(repoRoot, 'fixtures/packages/shouting-actions'), join(root, 'node_modules/shouting-actions'), { recursive: true })
}

async function shoutId(root: string) {
  const { transformServerFunctions } = await import('@use-server/transform')
  const file = join(root, 'node_modules/shouting-actions/actions.js')
  return transformServerFunctions(readFileSync(file, 'utf8'), file, { target: 'client', root })!.functions[0]!.id
}

describe.each(vites)('$name: server functions in a node_modules package', (vite) => {
  describe('dev', () => {
    const app = copyFixture('package-consumer')
    installPackage(app.root)
    let server: ViteDevServer
    let origin: string
    beforeAll(async () => {
      const { createServer } = await vite.load()
      server = await createServer({ root: app.root, configFile: join(app.root, 'vite.config.ts'), logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } })
      await server.listen()
      origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '')
    })
    afterAll(async () => {
      await server?.close()
      app.remove()
    })

    test('the pre-bundled dependency holds stubs only, and its function is callable', async () => {
      const main = await (await fetch(`${origin}/src/main.ts`)).text()
      const depUrl = /from\s+"([^"]*shouting-actions[^"]*)"/.exec(main)![1]!
      // the optimizer may still be running on the first request
      const dep = await vi.waitFor(async () => {
        const response = await fetch(`${origin}${depUrl}`)
        expect(response.status).toBe(200)
        return response.text()
      }, { timeout: 15_000, interval: 200 })
      expect(dep).not.toContain('server-only suffix')
      expect(dep).toContain(await shoutId(app.root))
      expect(await call(origin, await shoutId(app.root), ['hello'])).toMatchObject({ status: 200, body: { value: 'HELLO!!! (server-only suffix)' } })
    })

    test('server environments compile the package instead of loading it from node_modules untouched', () => {
      expect(server.environments.ssr.config.resolve.noExternal).toContain('shouting-actions')
    })

    test('served unbundled with a ?v= query, the module compiles to the same ids', async () => {
      const code = await (await fetch(`${origin}/node_modules/shouting-actions/actions.js?v=0123abcd`)).text()
      expect(code).not.toContain('server-only suffix')
      expect(stubsIn(code).get('shout')).toBe(await shoutId(app.root))
    })
  })

  describe('build', () => {
    const app = copyFixture('package-consumer')
    installPackage(app.root)
    let server: RunningServer
    beforeAll(async () => {
      await run(process.execPath, [vite.bin, 'build'], app.root)
      server = await startNodeServer('dist/server/index.js', app.root)
    }, 120_000)
    afterAll(async () => {
      await server?.stop()
      app.remove()
    })

    test('the client bundle has the stub, the server calls the package’s function', async () => {
      const assets = join(app.root, 'dist/client/assets')
      const code = readdirSync(assets).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n')
      expect(code).not.toContain('server-only suffix')
      expect(code).toContain(await shoutId(app.root))
      expect(await call(server.origin, await shoutId(app.root), ['built'])).toMatchObject({ status: 200, body: { value: 'BUILT!!! (server-only suffix)' } })
    })
  })
})
