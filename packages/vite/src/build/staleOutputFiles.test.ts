import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { outputFiles, removeStaleFiles } from './staleOutputFiles.js'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const files = (paths: string[]) => {
  dir = mkdtempSync(join(tmpdir(), 'use-server-stale-'))
  for (const path of paths) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), path)
  }
}

test('what the build will not write goes, folders and all; what it will write stays; .git is left alone', () => {
  files(['index.js', 'assets/a-1.js', 'assets/b-1.js', 'old/deep/x.js', 'junk.txt', '.git/HEAD', 'use-server-runtime/shared/s.js'])
  expect(outputFiles(dir)).not.toContain('.git/HEAD')
  removeStaleFiles(dir, ['index.js', 'assets/a-1.js', 'use-server-runtime/shared/s.js', 'new.js'])
  expect(outputFiles(dir).sort()).toEqual(['assets', 'assets/a-1.js', 'index.js', 'use-server-runtime', 'use-server-runtime/shared', 'use-server-runtime/shared/s.js'])
  expect(outputFiles(join(dir, '.git'))).toEqual(['HEAD'])
})

test('no output yet: nothing listed, nothing removed', () => {
  files([])
  expect(outputFiles(join(dir, 'missing'))).toEqual([])
  removeStaleFiles(join(dir, 'missing'), ['index.js'])
})

test("the folders of others inside it (the client build's, the public folder) are left whole, however deep", () => {
  files(['index.js', 'stale.js', 'client/index.html', 'client/assets/app-1.js', 'static/public/logo.svg', 'static/old.js'])
  removeStaleFiles(dir, ['index.js'], [join(dir, 'client'), join(dir, 'static/public'), join(dir, '../elsewhere'), dir])
  expect(outputFiles(dir).sort()).toEqual(['client', 'client/assets', 'client/assets/app-1.js', 'client/index.html', 'index.js', 'static', 'static/public', 'static/public/logo.svg'])
})

test('a link is listed and removed as a link: what it points at is never walked nor touched (a loop neither)', () => {
  files(['index.js', 'elsewhere/precious/data.txt'])
  const out = join(dir, 'out')
  mkdirSync(out)
  symlinkSync(join(dir, 'elsewhere'), join(out, 'uploads'))
  symlinkSync('..', join(out, 'loop'))
  expect(outputFiles(out).sort()).toEqual(['loop', 'uploads'])
  removeStaleFiles(out, ['index.js'])
  expect(outputFiles(out)).toEqual([])
  expect(readFileSync(join(dir, 'elsewhere/precious/data.txt'), 'utf8')).toBe('elsewhere/precious/data.txt')
})
