import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { packagesWithServerFunctions } from './serverPackages.js'

const root = mkdtempSync(join(tmpdir(), 'use-server-packages-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const write = (path: string, json: unknown) => {
  mkdirSync(join(root, path, '..'), { recursive: true })
  writeFileSync(join(root, path), JSON.stringify(json))
}

test('finds the dependencies that depend on use-server, and only those', () => {
  write('package.json', { dependencies: { 'with-actions': '1', plain: '1', missing: '1' }, devDependencies: { 'peer-actions': '1', '@use-server/vite': '1' } })
  write('node_modules/with-actions/package.json', { name: 'with-actions', dependencies: { '@use-server/runtime': '1' } })
  write('node_modules/peer-actions/package.json', { name: 'peer-actions', peerDependencies: { '@use-server/vite': '1' } })
  write('node_modules/plain/package.json', { name: 'plain', dependencies: { react: '1' } })
  write('node_modules/@use-server/vite/package.json', { name: '@use-server/vite', dependencies: { '@use-server/runtime': '1' } })
  expect(packagesWithServerFunctions(root).sort()).toEqual(['peer-actions', 'with-actions'])
})

test('an app without package.json has none', () => {
  expect(packagesWithServerFunctions(join(root, 'nowhere'))).toEqual([])
})
