import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { repoRoot } from '../../vite/support/fixtures.js'
import { run } from '../../vite/support/processes.js'

export const PACKAGES = ['transform', 'runtime', 'vite'] as const
export type PackageName = (typeof PACKAGES)[number]

export interface PublishedApp {
  /** The packed packages: `<dir>/use-server-<name>-<version>.tgz`. */
  tarballs: Record<PackageName, string>
  /** fixtures/apps/published, installed as the README says (runtime a dependency, the plugin a dev dependency). */
  root: string
  /** The same app with only `@use-server/vite` in its package.json: the rest arrives with it. */
  onlyPlugin: string
}

const WORKSPACE_VERSIONS = ['vite', '@types/node'].map((name) => [name, JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version as string])

/**
 * The packages as npm would publish them, and the fixture app installed from those tarballs with
 * npm in a directory outside the workspace (so nothing resolves to the workspace's packages).
 * Test files share it: the first one to ask makes it (under a lock), the others wait. It is named
 * by a hash of everything that goes into it (and of the checkout), so a later run with the same
 * packages reuses the install; the builds and servers of each run are its own.
 */
export async function publishedApp(): Promise<PublishedApp> {
  const hash = contentHash()
  const dir = join(tmpdir(), 'use-server-published', hash)
  await onlyOnce(dir, async () => {
    const packed = join(dir, 'tarballs')
    mkdirSync(packed, { recursive: true })
    // pnpm pack writes the workspace: ranges of the dependencies as npm ranges (^0.1.0).
    await Promise.all(PACKAGES.map((name) => run('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', packed], join(repoRoot, 'packages', name))))
    const tarballs = tarballsIn(packed)
    const files = (name: PackageName) => `file:${tarballs[name]}`
    // The packages are not on the registry: npm must take every one of them from its tarball.
    const overrides = Object.fromEntries(PACKAGES.map((name) => [`@use-server/${name}`, files(name)]))
    const devTools = Object.fromEntries(WORKSPACE_VERSIONS)
    await Promise.all([
      install(join(dir, 'app'), { dependencies: { '@use-server/runtime': files('runtime') }, devDependencies: { '@use-server/vite': files('vite'), ...devTools }, overrides: { '@use-server/transform': files('transform') } }),
      install(join(dir, 'only-plugin'), { devDependencies: { '@use-server/vite': files('vite'), ...devTools }, overrides }),
    ])
  })
  const now = new Date()
  utimesSync(join(dir, '.ready'), now, now)
  return { tarballs: tarballsIn(join(dir, 'tarballs')), root: join(dir, 'app'), onlyPlugin: join(dir, 'only-plugin') }
}

async function install(root: string, fields: Record<string, Record<string, string>>): Promise<void> {
  cpSync(join(repoRoot, 'fixtures/apps/published'), root, { recursive: true })
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  writeFileSync(join(root, 'package.json'), JSON.stringify({ ...manifest, ...fields }, null, 2))
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], root)
}

function tarballsIn(dir: string): Record<PackageName, string> {
  const files = readdirSync(dir)
  return Object.fromEntries(PACKAGES.map((name) => [name, join(dir, files.find((file) => file.startsWith(`use-server-${name}-`))!)])) as Record<PackageName, string>
}

/** Everything the tarballs and the installed app are made from. */
function contentHash(): string {
  const hash = createHash('sha256')
  const add = (path: string) => {
    if (!existsSync(path)) return
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) if (entry !== 'node_modules') add(join(path, entry))
      return
    }
    hash.update(relative(repoRoot, path)).update('\0').update(readFileSync(path)).update('\0')
  }
  for (const name of PACKAGES) for (const file of ['package.json', 'README.md', 'LICENSE', 'dist']) add(join(repoRoot, 'packages', name, file))
  add(join(repoRoot, 'fixtures/apps/published'))
  // Each checkout its own: test runs of two checkouts build into their app at the same time.
  hash.update(repoRoot).update(JSON.stringify(WORKSPACE_VERSIONS)).update(readFileSync(new URL(import.meta.url)))
  return hash.digest('hex').slice(0, 16)
}

/** Runs `make` once for `dir` across the processes of a test run; a `.ready` file marks it done. */
async function onlyOnce(dir: string, make: () => Promise<void>): Promise<void> {
  const ready = join(dir, '.ready')
  const lock = `${dir}.lock`
  const deadline = Date.now() + 10 * 60_000
  mkdirSync(join(dir, '..'), { recursive: true })
  while (!existsSync(ready)) {
    try {
      mkdirSync(lock)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (!holderAlive(lock)) rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`Waited 10 minutes for another test process to prepare ${dir}.`)
      await new Promise((resolve) => setTimeout(resolve, 250))
      continue
    }
    try {
      writeFileSync(join(lock, 'pid'), String(process.pid))
      if (existsSync(ready)) return
      removeUnused(join(dir, '..'))
      rmSync(dir, { recursive: true, force: true })
      await make()
      writeFileSync(ready, '')
    } finally {
      rmSync(lock, { recursive: true, force: true })
    }
  }
}

/**
 * Other versions of the app, made from other sources, unused for an hour: another checkout's test run
 * may still be using a recent one (each use touches its `.ready`).
 */
function removeUnused(parent: string): void {
  for (const entry of readdirSync(parent)) {
    const path = join(parent, entry)
    const used = statSync(join(path, '.ready'), { throwIfNoEntry: false })?.mtimeMs ?? statSync(path).mtimeMs
    if (!entry.endsWith('.lock') && !existsSync(`${path}.lock`) && Date.now() - used > 60 * 60_000) rmSync(path, { recursive: true, force: true })
  }
}

function holderAlive(lock: string): boolean {
  let pid: number
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'))
  } catch {
    // Just made, its pid not written yet; or left by a process that died in that instant.
    const made = statSync(lock, { throwIfNoEntry: false })?.mtimeMs
    return made !== undefined && Date.now() - made < 5_000
  }
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
