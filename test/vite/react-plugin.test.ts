import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { call } from './support/calls.js'
import { copyFixture } from './support/fixtures.js'
import { run, startNodeServer, type RunningServer } from './support/processes.js'
import { vites } from './support/vites.js'

// With @vitejs/plugin-react (v6 on Vite 8, v5 on Vite 7) and without it: TSX components importing
// 'use server' modules compile, and the functions answer, in dev and in a build.
const setups = vites.flatMap((vite) => [
  { vite, react: vite.reactPlugin, label: `${vite.name} with @vitejs/plugin-react` },
  { vite, react: '', label: `${vite.name} without a React plugin` },
])

async function likeId(root: string) {
  const { transformServerFunctions } = await import('@use-server/transform')
  const file = join(root, 'src/actions.ts')
  return transformServerFunctions(readFileSync(file, 'utf8'), file, { target: 'client', root })!.functions.find((f) => f.exportName === 'like')!.id
}

describe.each(setups)('$label', ({ vite, react }) => {
  const app = copyFixture('react')
  let dev: ViteDevServer
  let origin: string
  const env = { REACT_PLUGIN: react }

  beforeAll(async () => {
    process.env.REACT_PLUGIN = react
    const { createServer } = await vite.load()
    dev = await createServer({ root: app.root, configFile: join(app.root, 'vite.config.ts'), logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } })
    await dev.listen()
    origin = dev.resolvedUrls!.local[0]!.replace(/\/$/, '')
  })
  afterAll(async () => {
    delete process.env.REACT_PLUGIN
    await dev?.close()
    app.remove()
  })

  test('dev: the component compiles and its server function answers', async () => {
    const component = await (await fetch(`${origin}/src/App.tsx`)).text()
    expect(component).toMatch(/import \{ like, rename \} from "\/src\/actions\.ts/)
    if (react) expect(component).toContain('$RefreshReg$')
    const actions = await (await fetch(`${origin}/src/actions.ts`)).text()
    expect(actions).not.toContain('likes')
    expect(await call(origin, await likeId(app.root), [])).toMatchObject({ status: 200, body: { value: 1 } })
  })

  test('build: the bundle has stubs, the server answers', async () => {
    await run(process.execPath, [vite.bin, 'build'], app.root, env)
    const assets = join(app.root, 'dist/client/assets')
    const code = readdirSync(assets).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n')
    expect(code).toContain(await likeId(app.root))
    expect(code).not.toContain('++likes')
    const server: RunningServer = await startNodeServer('dist/server/index.js', app.root)
    try {
      expect(await call(server.origin, await likeId(app.root), [])).toMatchObject({ status: 200, body: { value: 1 } })
    } finally {
      await server.stop()
    }
  }, 120_000)
})
