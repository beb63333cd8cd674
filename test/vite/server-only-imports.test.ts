import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Plugin, ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { copyFixture } from './support/fixtures.js'
import { run } from './support/processes.js'
import { vites } from './support/vites.js'

// Browser code that imports a server-only entry of the runtime (`cookies` from /server in a
// component): without a word, the page was blank and the console said only that
// '@fastify/busboy/index.js does not provide an export named Busboy'. It is a compile error that
// names the importer and says where such code goes. 'use server' modules import the same entries: no error.

const SAYS = /@use-server\/runtime\/server is server code, and src[\\/]theme\.ts imports it in a module compiled for the browser\. Use it in a 'use server' module/

describe.each(vites)('$name: a server-only runtime entry imported by browser code', (vite) => {
  const app = copyFixture('spa')
  const main = join(app.root, 'src/main.ts')
  const mainSource = readFileSync(main, 'utf8')
  let server: ViteDevServer
  let origin: string
  const errors: string[] = []
  const recordErrors: Plugin = {
    name: 'test:record-errors',
    configureServer(devServer) {
      const hot = devServer.environments.client.hot
      const send = hot.send.bind(hot) as (...args: unknown[]) => void
      hot.send = ((...args: unknown[]) => {
        const payload = args[0] as { type?: string; err?: { message: string } }
        if (payload?.type === 'error') errors.push(payload.err!.message)
        send(...args)
      }) as typeof hot.send
    },
  }

  // a module another plugin makes up (a route table, say): named by its id, not as a path under the root
  const virtualModule: Plugin = {
    name: 'test:virtual-module',
    resolveId: (id) => (id === 'virtual:theme' ? '\0virtual:theme' : undefined),
    load: (id) => (id === '\0virtual:theme' ? "import { cookies } from '@use-server/runtime/server'\nexport { cookies }\n" : undefined),
  }

  beforeAll(async () => {
    // the 'use server' module imports the server entry, as any does
    writeFileSync(join(app.root, 'src/actions.ts'), `import { cookies } from '@use-server/runtime/server'\n${readFileSync(join(app.root, 'src/actions.ts'), 'utf8').replace("'use server'\n", '')}\nexport async function theme() {\n  return (await cookies()).get('theme')?.value ?? 'light'\n}\n`.replace(/^/, "'use server'\n"))
    writeFileSync(join(app.root, 'src/theme.ts'), "import { cookies } from '@use-server/runtime/server'\n\nexport const readTheme = async () => (await cookies()).get('theme')?.value\n")
    // `%` in the importer's path: its id went through Vite's URL decoding, then ours again ("URI malformed")
    writeFileSync(join(app.root, 'src/100% é.ts'), "import { cookies } from '@use-server/runtime/server'\nexport { cookies }\n")
    // create-vite's tsconfig: `import { type X }` keeps the import (as a side effect), `import type` drops it
    writeFileSync(join(app.root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { verbatimModuleSyntax: true, moduleResolution: 'bundler' } }))
    writeFileSync(join(app.root, 'src/typeOnly.ts'), "import type { CookieOptions } from '@use-server/runtime/server'\nexport const options: CookieOptions = { path: '/' }\n")
    writeFileSync(join(app.root, 'src/inlineType.ts'), "import { type CookieOptions } from '@use-server/runtime/server'\nexport const options: CookieOptions = { path: '/' }\n")
    const { createServer } = await vite.load()
    server = await createServer({ root: app.root, configFile: join(app.root, 'vite.config.ts'), logLevel: 'silent', server: { port: 0, host: '127.0.0.1' }, plugins: [recordErrors, virtualModule] })
    await server.listen()
    origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '')
  }, 60_000)
  afterAll(async () => {
    await server?.close()
    app.remove()
  })

  test("a 'use server' module that imports it compiles for the browser, as stubs", async () => {
    const response = await fetch(`${origin}/src/actions.ts`)
    expect(response.status).toBe(200)
    expect(await response.text()).not.toContain('runtime/server')
  })

  test('dev: the import is a compile error that names the importer, on the overlay', async () => {
    const code = await (await fetch(`${origin}/src/theme.ts`)).text()
    const url = /from "([^"]+)"/.exec(code)![1]!
    const response = await fetch(`${origin}${url}`)
    expect(response.status).toBe(500)
    await vi.waitFor(() => expect(errors.some((message) => SAYS.test(message))).toBe(true), { timeout: 5_000 })
  })

  test('dev: an importer with %, a space or é in its path is named as it is', async () => {
    const code = await (await fetch(`${origin}/src/${encodeURIComponent('100% é')}.ts`)).text()
    const url = /from "([^"]+)"/.exec(code)![1]!
    expect((await fetch(`${origin}${url}`)).status).toBe(500)
    await vi.waitFor(() => expect(errors.some((message) => message.includes('and src/100% é.ts imports it'))).toBe(true), { timeout: 5_000 })
  })

  test("dev: a plugin's virtual module is named by its id", async () => {
    const code = await (await fetch(`${origin}/@id/__x00__virtual:theme`)).text()
    const url = /from "([^"]+)"/.exec(code)![1]!
    expect((await fetch(`${origin}${url}`)).status).toBe(500)
    await vi.waitFor(() => expect(errors.some((message) => message.includes('runtime/server is server code, and virtual:theme imports it'))).toBe(true), { timeout: 5_000 })
  })

  test('dev: `import type` is no import; `import { type X }` under verbatimModuleSyntax is, and the error says so', async () => {
    expect(await (await fetch(`${origin}/src/typeOnly.ts`)).text()).not.toContain('runtime/server')
    const code = await (await fetch(`${origin}/src/inlineType.ts`)).text()
    const url = /from "([^"]+)"|import "([^"]+)"/.exec(code)!.slice(1).find(Boolean)!
    expect((await fetch(`${origin}${url}`)).status).toBe(500)
    const says = (message: string) => message.includes('src/inlineType.ts imports it') && message.includes('`import { type … }` still loads the module')
    await vi.waitFor(() => expect(errors.some(says)).toBe(true), { timeout: 5_000 })
  })

  test('build: fails with the same message', async () => {
    writeFileSync(main, `import { readTheme } from './theme'\nvoid readTheme()\n${mainSource}`)
    const failed = await run(process.execPath, [vite.bin, 'build'], app.root).then(
      () => '',
      (error: Error) => error.message,
    )
    expect(failed).toMatch(SAYS)
    expect(failed).toContain("`if (import.meta.env.SSR)` around an `import()` of it leaves it out of the browser's")
    // and as the message says, code for both sides imports it behind import.meta.env.SSR: the app builds
    const shared = "export const theme = async () => {\n  if (import.meta.env.SSR) return (await (await import('@use-server/runtime/server')).cookies()).get('theme')?.value\n}\n"
    writeFileSync(join(app.root, 'src/shared.ts'), shared)
    writeFileSync(main, `import { theme } from './shared'\nvoid theme()\n${mainSource}`)
    await run(process.execPath, [vite.bin, 'build'], app.root)
    expect(readdirSync(join(app.root, 'dist/client/assets')).filter((file) => file.endsWith('.js'))).toHaveLength(1) // no lazy chunk of it
    writeFileSync(main, mainSource)
  }, 120_000)
})
