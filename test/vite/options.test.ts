import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { call } from './support/calls.js'
import { copyFixture } from './support/fixtures.js'
import { run, startNodeServer, type RunningServer } from './support/processes.js'
import { vites } from './support/vites.js'

describe.each(vites)('$name: base and salt options', (vite) => {
  const app = copyFixture('custom-base')
  let server: RunningServer
  let pingId: string

  beforeAll(async () => {
    await run(process.execPath, [vite.bin, 'build'], app.root)
    server = await startNodeServer('dist/server/index.js', app.root)
    const { transformServerFunctions } = await import('@use-server/transform')
    const file = join(app.root, 'src/ping.ts')
    pingId = transformServerFunctions(readFileSync(file, 'utf8'), file, { target: 'client', root: app.root, salt: 'fixture-salt' })!.functions[0]!.id
  }, 120_000)
  afterAll(async () => {
    await server?.stop()
    app.remove()
  })

  test('the client calls the configured endpoint, with salted ids', () => {
    const assets = join(app.root, 'dist/client/assets')
    const code = readdirSync(assets).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n')
    expect(code).toContain('/api/functions')
    expect(code).toContain(pingId)
  })

  test('the server answers there, and not at the default endpoint', async () => {
    expect(await call(server.origin, pingId, [], '/api/functions')).toMatchObject({ status: 200, body: { value: 'pong' } })
    expect((await call(server.origin, pingId, [])).status).not.toBe(200)
  })
})

describe.each(vites)('$name: include and exclude', (vite) => {
  test('an excluded module is left as it is, in the client build too', async () => {
    const app = copyFixture('spa')
    try {
      writeFileSync(join(app.root, 'vite.exclude.config.ts'), "import { useServer } from '@use-server/vite'\nexport default { plugins: [useServer({ exclude: ['**/actions.ts'] })] }\n")
      const output = await run(process.execPath, [vite.bin, 'build', '--config', 'vite.exclude.config.ts'], app.root)
      expect(output).toMatch(/use-server: 0 functions in 0 modules/)
      const assets = join(app.root, 'dist/client/assets')
      const code = readdirSync(assets).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n')
      expect(code).toContain('Hello, ') // greet's server-only helper, shipped as ordinary code
      expect(code).not.toContain('_server')
    } finally {
      app.remove()
    }
  }, 120_000)
})
