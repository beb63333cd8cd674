import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { copyFixture } from './support/fixtures.js'
import { run, startNodeServer } from './support/processes.js'
import { vites } from './support/vites.js'

// Where the app puts the embedded server's output decides what a build may clear there: never the app's
// sources, never the client build beside it, and (as Vite does for any outDir) nothing outside the project
// unless the app says so.

describe.each(vites)('$name: serverOutDir', (vite) => {
  let app: ReturnType<typeof copyFixture>
  const outside: string[] = []
  afterEach(() => {
    app.remove()
    for (const dir of outside.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const build = (options: string, config = '') => {
    writeFileSync(join(app.root, 'vite.out.config.ts'), `import { useServer } from '@use-server/vite'\nexport default { plugins: [useServer(${options})], ${config} }\n`)
    return run(process.execPath, [vite.bin, 'build', '--config', 'vite.out.config.ts'], app.root)
  }

  test('dist, with the client build in dist/client: the client build survives the server build (and a rebuild), and is served', async () => {
    app = copyFixture('spa')
    await build("{ serverOutDir: 'dist' }")
    writeFileSync(join(app.root, 'dist/stale.js'), 'export {}')
    await build("{ serverOutDir: 'dist' }")
    expect(existsSync(join(app.root, 'dist/client/index.html'))).toBe(true)
    expect(existsSync(join(app.root, 'dist/stale.js'))).toBe(false)
    const server = await startNodeServer('dist/index.js', app.root)
    try {
      expect(await (await fetch(`${server.origin}/`)).text()).toContain('<title>use-server SPA fixture</title>')
    } finally {
      await server.stop()
    }
  }, 120_000)

  test.each(['.', '..', 'src/..'])('%s (the project root or above it) fails before anything is written, with what to do, and the sources stay', async (dir) => {
    app = copyFixture('spa')
    const before = [...readdirSync(app.root), 'vite.out.config.ts'].sort()
    await expect(build(`{ serverOutDir: ${JSON.stringify(dir)} }`)).rejects.toThrow(/serverOutDir \(.*\) is the project root or a folder above it .*Choose a directory of its own, such as dist\/server/)
    expect(readdirSync(app.root).sort()).toEqual(before)
    expect(existsSync(join(app.root, 'src/actions.ts'))).toBe(true)
  }, 60_000)

  test('outside the project: what is there stays (with a warning saying how to clear it), unless the app sets emptyOutDir', async () => {
    app = copyFixture('spa')
    const dir = mkdtempSync(join(tmpdir(), 'use-server-out-'))
    outside.push(dir)
    mkdirSync(join(dir, 'uploads'))
    writeFileSync(join(dir, 'uploads/photo.jpg'), 'user data')
    const output = await build(`{ serverOutDir: ${JSON.stringify(dir)} }`)
    expect(output).toMatch(/is not inside the project root, so files earlier builds left there are not removed\. Set build\.emptyOutDir/)
    expect(existsSync(join(dir, 'uploads/photo.jpg'))).toBe(true)
    expect(existsSync(join(dir, 'index.js'))).toBe(true)
    await build(`{ serverOutDir: ${JSON.stringify(dir)} }`, 'build: { emptyOutDir: true }')
    expect(existsSync(join(dir, 'uploads'))).toBe(false)
    expect(existsSync(join(dir, 'index.js'))).toBe(true)
  }, 120_000)

  test('inside the project with emptyOutDir: false: a file put there by hand stays', async () => {
    app = copyFixture('spa')
    await build('{}')
    writeFileSync(join(app.root, 'dist/server/.env.production'), 'KEY=1')
    writeFileSync(join(app.root, 'dist/server/kept.txt'), 'kept')
    await build('{}', "environments: { ssr: { build: { emptyOutDir: false } } }")
    expect(existsSync(join(app.root, 'dist/server/kept.txt'))).toBe(true)
    await build('{}')
    expect(existsSync(join(app.root, 'dist/server/kept.txt'))).toBe(false)
  }, 120_000)
})
