import { cpSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const tmpRoot = join(repoRoot, 'test/.tmp')

/**
 * A private copy of `fixtures/apps/<name>` that a test may edit and build. It lives inside the
 * repository (under test/.tmp, ignored by git) so the app resolves the workspace packages.
 */
export function copyFixture(name: string): { root: string; remove(): void } {
  mkdirSync(tmpRoot, { recursive: true })
  const root = join(tmpRoot, `${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`)
  cpSync(join(repoRoot, 'fixtures/apps', name), root, { recursive: true, filter: (path) => !/[\\/](dist|node_modules[\\/]\.vite)$/.test(path) })
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) }
}
