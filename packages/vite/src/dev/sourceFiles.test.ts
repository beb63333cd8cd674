import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { sourceFiles } from './sourceFiles.js'

const root = mkdtempSync(join(tmpdir(), 'use-server-source-files-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const write = (path: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), '')
}

const relativeTo = (files: string[]) => files.map((file) => file.slice(root.length + 1).replaceAll('\\', '/')).sort()

test('finds every JavaScript and TypeScript file, leaving out dot files, node_modules and the folders to skip', async () => {
  const kept = ['a.js', 'b.jsx', 'c.ts', 'd.tsx', 'e.mjs', 'f.mts', 'g.cjs', 'h.cts']
  kept.push('src/deep/er/i.ts', 'node_modules_like/j.ts', 'dist-not/k.ts')
  const left = ['x.json', 'x.d', 'src/x.tsx.map', '.hidden.ts', 'src/.hidden/y.ts', '.git/z.js']
  left.push('node_modules/p/index.js', 'src/node_modules/q.js', 'dist/out.js', 'build/server/s.js', 'cache/c.js')
  for (const path of [...kept, ...left]) write(path)
  mkdirSync(join(root, 'elsewhere'), { recursive: true })
  writeFileSync(join(root, 'elsewhere/linked.ts'), '')
  symlinkSync(join(root, 'elsewhere'), join(root, 'src/link'))
  const skip = ['dist', join(root, 'build/server'), join(root, 'cache'), 'elsewhere']
  expect(relativeTo(await sourceFiles(root, { skip, followSymlinks: false }))).toEqual([...kept].sort())
  // Following links (a package's own folder), the linked folder's files are found through the link.
  expect(relativeTo(await sourceFiles(join(root, 'src')))).toEqual(['src/deep/er/i.ts', 'src/link/linked.ts'])
})
