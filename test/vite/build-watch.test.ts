import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { afterEach, describe, expect, test } from 'vitest'
import { copyFixture } from './support/fixtures.js'
import { vites } from './support/vites.js'

// `vite build --watch` of an app with the embedded server: the server build learns from the client build
// which functions are callable, so it must not start before that build has told it, and it must build again
// when the client's edit changes them (a module newly imported by the client is not in the server's graph).

describe.each(vites)('$name: vite build --watch', (vite) => {
  let app: ReturnType<typeof copyFixture>
  let stop = () => {}
  afterEach(() => {
    stop()
    app.remove()
  })

  const manifestExports = () => {
    const file = join(app.root, 'dist/server/use-server-manifest.json')
    if (!existsSync(file)) return []
    try {
      return Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, { export: string }>).map((entry) => entry.export).sort()
    } catch {
      return [] // being written
    }
  }
  const until = async (check: () => boolean, what: string, output: () => string) => {
    for (const end = Date.now() + 60_000; Date.now() < end; ) {
      if (check()) return
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    throw new Error(`${what} did not happen; vite's output:\n${output()}`)
  }

  test('the first build serves the functions the client uses, and an edit that imports another one adds it', async () => {
    app = copyFixture('spa')
    // An app of its own (its own cache folder), as a user's is.
    writeFileSync(join(app.root, 'package.json'), '{ "name": "watched", "private": true, "type": "module" }\n')
    const child = spawn(process.execPath, [vite.bin, 'build', '--watch'], { cwd: app.root, stdio: ['ignore', 'pipe', 'pipe'] })
    stop = () => child.kill()
    let output = ''
    const read = (chunk: Buffer) => (output += stripVTControlCharacters(chunk.toString()))
    child.stdout.on('data', read)
    child.stderr.on('data', read)

    await until(() => manifestExports().length > 0, 'a manifest with functions', () => output)
    expect(manifestExports()).toEqual(['add', 'greet'])
    expect(output).not.toContain('no client build found')

    writeFileSync(join(app.root, 'src/more.ts'), "'use server'\n\nexport async function more() {\n  return 'more'\n}\n")
    const main = join(app.root, 'src/main.ts')
    writeFileSync(main, `import { more } from './more'\n;(globalThis as any).more = more\n${readFileSync(main, 'utf8')}`)
    await until(() => manifestExports().includes('more'), 'the new function in the manifest', () => output)
    expect(manifestExports()).toEqual(['add', 'greet', 'more'])
    expect(existsSync(join(app.root, 'dist/client/index.html'))).toBe(true)
  }, 150_000)
})
