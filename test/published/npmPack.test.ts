import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { repoRoot } from '../vite/support/fixtures.js'
import { PACKAGES } from './support/publishedApp.js'

// `npm pack` / `npm publish` run in a package folder, as a maintainer may by habit: npm writes a
// `workspace:^` range into the tarball as it is, and npm then refuses to install that tarball
// (npm 11 exits 1 without a word). Such a package must refuse npm's pack and name pnpm.
describe('packing with npm', () => {
  test.each(PACKAGES)('%s: npm packs it installable, or refuses and says to use pnpm', (name) => {
    const dir = join(repoRoot, 'packages', name)
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const ranges = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies }
    const workspaceRanges = Object.values(ranges).filter((range) => String(range).startsWith('workspace:'))
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd: dir, encoding: 'utf8', timeout: 60_000 })
    if (workspaceRanges.length === 0) {
      expect(pack.status, pack.stderr).toBe(0)
      expect(JSON.parse(pack.stdout)[0].name).toBe(`@use-server/${name}`)
    } else {
      expect(pack.status).not.toBe(0)
      expect(pack.stderr).toContain('pack and publish this package with pnpm')
      expect(pack.stderr).toContain('not npm:')
    }
  })
})
