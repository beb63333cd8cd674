import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchChromium, openPage } from '../e2e/support/browser.js'
import { repoRoot } from '../vite/support/fixtures.js'
import { run, startNodeServer, startServer, type RunningServer } from '../vite/support/processes.js'
import { defineCallTests } from './support/callSuite.js'
import { PACKAGES, publishedApp, type PublishedApp } from './support/publishedApp.js'

// "pack → npm install → build → serve → preview → call", as a user outside this repository would:
// the tarballs `pnpm pack` makes, installed with npm into a fresh app in a temporary directory.
let app: PublishedApp
beforeAll(async () => {
  app = await publishedApp()
}, 300_000)

const bin = (name: string) => join(repoRoot, 'test/published/node_modules/.bin', name)
const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc')
const installed = (name: string) => join(app.root, 'node_modules/@use-server', name)

describe('the tarballs', () => {
  test.each(PACKAGES)('%s: README, LICENSE, package fields, no test support, source maps that carry their sources', (name) => {
    const dir = installed(name) // npm unpacked the tarball here, as is
    const files = filesIn(dir)
    console.log(`@use-server/${name}: ${statSync(app.tarballs[name]).size} bytes packed, ${files.length} files`)
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']))
    expect(files.filter((file) => /\.test\.|test-support|\.ts$(?<!\.d\.ts)|\.d\.ts\.map$/.test(file))).toEqual([])
    for (const map of files.filter((file) => file.endsWith('.js.map'))) {
      const { sources, sourcesContent } = JSON.parse(readFileSync(join(dir, map), 'utf8')) as { sources: string[]; sourcesContent?: string[] }
      expect(sourcesContent?.length, map).toBe(sources.length)
      expect(sourcesContent!.every((content) => content.length > 0), map).toBe(true)
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    expect(manifest).toMatchObject({ license: 'MIT', type: 'module', engines: { node: '>=20.19' }, repository: { type: 'git', directory: `packages/${name}` } })
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(`# @use-server/${name}`)
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(readFileSync(join(repoRoot, 'LICENSE'), 'utf8'))
    for (const [subpath, target] of Object.entries(manifest.exports as Record<string, string | Record<string, string>>)) {
      if (typeof target === 'string') continue
      expect(Object.keys(target), subpath).toEqual(['types', 'default'])
      expect(existsSync(join(dir, target.default!)) && existsSync(join(dir, target.types!)), subpath).toBe(true)
    }
    expect(JSON.stringify(manifest)).not.toContain('workspace:')
  })

  test.each(PACKAGES)('%s: publint --strict finds nothing', async (name) => {
    expect(await run(bin('publint'), ['--strict', app.tarballs[name]], repoRoot)).toContain('All good!')
  })

  // ESM only: `require()` works on Node ≥ 20.19 (require(esm)), which TypeScript's node16-from-CJS
  // mode does not model; the esm-only profile leaves out exactly that.
  test.each(PACKAGES)('%s: attw --profile esm-only finds nothing', async (name) => {
    const output = await run(bin('attw'), [app.tarballs[name], '--profile', 'esm-only', '--format', 'ascii', '--no-color'], repoRoot) // exits 1 on a problem
    const counted = output.split('\n').filter((line) => !line.includes('ignored'))
    expect(counted.filter((line) => /💀|❌|⚠️|🐛|🥴|❗️|🎭|failed/.test(line))).toEqual([])
    const entries = output.match(/^"@use-server\/[^"]+"$/gm)!
    // Every entry resolves for ESM and bundlers, and even for TypeScript's old node10 mode (ignored by the profile).
    expect(output.match(/^node16 \(from ESM\): 🟢/gm)).toHaveLength(entries.length)
    expect(output.match(/^bundler: 🟢/gm)).toHaveLength(entries.length)
    expect(output.match(/^node10: \(ignored\) 🟢/gm)).toHaveLength(entries.length)
  })

  test('every entry loads with import() and with require()', async () => {
    const entries = ['@use-server/runtime/client', '@use-server/runtime/server', '@use-server/runtime/node', '@use-server/runtime/ssr', '@use-server/vite', '@use-server/vite/production', '@use-server/transform']
    const script = `for (const e of ${JSON.stringify(entries)}) { const a = await import(e); const b = require(e); if (Object.keys(a).length === 0 || Object.keys(a).some((k) => a[k] !== b[k])) throw new Error(e) }
for (const e of ['@use-server/runtime/react', '@use-server/runtime/redis']) try { require(e) } catch (error) { console.log(error.code, error.message.split('\\n')[0]) }`
    const output = await run(process.execPath, ['--input-type=commonjs', '-e', `(async () => { ${script} })().catch((error) => { console.error(error); process.exit(1) })`], app.root)
    // The React entry needs React, an optional peer dependency this app does not have: it says so.
    expect(output).toMatch(/ERR_MODULE_NOT_FOUND Cannot find package 'react' imported from .*\/runtime\/dist\/react\/index\.js/)
    // So does the Redis entry, without `redis` (node-redis).
    expect(output).toMatch(/ERR_MODULE_NOT_FOUND Cannot find package 'redis' imported from .*\/runtime\/dist\/redis\/index\.js/)
  })
})

describe('types, with skipLibCheck off', () => {
  test.each([
    ['an app without React (DOM, vite/client)', () => app.root, 'tsconfig.json'],
    ['its server code alone (no DOM library, Node types)', () => app.root, 'tsconfig.server.json'],
    ['an app that installed only the plugin', () => app.onlyPlugin, 'tsconfig.json'],
    ['the server code of an app that installed only the plugin', () => app.onlyPlugin, 'tsconfig.server.json'],
  ])('%s', async (_, root, config) => {
    // Includes src/sendable.ts: call sites whose `@ts-expect-error` lines must each be an error.
    await run(process.execPath, [tsc, '-p', config], root())
  })

  test('the app that installed only the plugin lists only it', () => {
    const manifest = JSON.parse(readFileSync(join(app.onlyPlugin, 'package.json'), 'utf8'))
    expect(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((name) => name.startsWith('@use-server/'))).toEqual(['@use-server/vite'])
  })
})

describe('vite build, then node dist/server/index.js and vite preview', () => {
  let buildOutput: string
  let browser: Browser
  beforeAll(async () => {
    ;[buildOutput, browser] = await Promise.all([run('npm', ['run', 'build'], app.root), launchChromium()])
  }, 120_000)
  afterAll(() => browser?.close())

  test('the build reports its functions', () => {
    expect(buildOutput).toMatch(/use-server: 10 functions in 1 module \(1 inline\)/)
  })

  const manifest = () => join(app.root, 'dist/server/use-server-manifest.json')

  describe('the embedded server (npm start)', () => {
    let server: RunningServer
    beforeAll(async () => {
      server = await startNodeServer('dist/server/index.js', app.root)
    })
    afterAll(() => server?.stop())

    test('warns at start that USE_SERVER_KEY is missing: a function binds values', () => {
      expect(server.output()).toMatch(/USE_SERVER_KEY is not set/)
    })
    test('serves the page, whose script calls a function', async () => {
      await expectPageGreets(browser, server.origin)
    })
    defineCallTests(() => app.root, () => ({ origin: server.origin, manifest: manifest() }))
  })

  describe('vite preview', () => {
    let server: RunningServer
    beforeAll(async () => {
      server = await startServer(join(app.root, 'node_modules/.bin/vite'), ['preview', '--port', '0', '--host', '127.0.0.1'], app.root, {}, /Local:\s+(http:\/\/\S+)/)
    })
    afterAll(() => server?.stop())

    test('serves the page, whose script calls a function', async () => {
      await expectPageGreets(browser, server.origin)
    })
    defineCallTests(() => app.root, () => ({ origin: server.origin, manifest: manifest() }))
  })
})

describe('vite (development) with the installed packages', () => {
  let server: RunningServer
  let browser: Browser
  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer(join(app.root, 'node_modules/.bin/vite'), ['--port', '0', '--host', '127.0.0.1'], app.root, {}, /Local:\s+(http:\/\/\S+)/), launchChromium()])
  }, 60_000)
  afterAll(() => Promise.all([server?.stop(), browser?.close()]))

  test('serves the page and its call, without a warning (source maps carry their sources)', async () => {
    await expectPageGreets(browser, server.origin)
    expect(server.output()).not.toMatch(/missing source|warn|error/i)
  })
})

async function expectPageGreets(browser: Browser, origin: string) {
  const { page, context } = await openPage(browser)
  try {
    await page.goto(`${origin}/`)
    await page.getByText('Hello, browser!').waitFor({ timeout: 10_000 })
  } finally {
    await context.close()
  }
}

function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort()
}
