import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { toModulePath } from '@use-server/transform'
import { join, resolve } from 'node:path'
import type { ClientReferences } from '../state.js'

// The client build's references also go to disk, for a server build run by a separate command
// (`vite build` then `vite build --ssr`).
const fileIn = (cacheDir: string) => join(cacheDir, 'use-server', 'client-references.json')

export function saveClientReferences(cacheDir: string, root: string, references: ClientReferences): void {
  mkdirSync(join(cacheDir, 'use-server'), { recursive: true })
  const portable = { ids: references.ids, modules: references.modules.map((file) => toModulePath(file, root)) }
  writeFileSync(fileIn(cacheDir), JSON.stringify(portable, null, 2) + '\n')
}

export function loadClientReferences(cacheDir: string, root: string): ClientReferences | undefined {
  try {
    const saved = JSON.parse(readFileSync(fileIn(cacheDir), 'utf8')) as ClientReferences
    return { ids: saved.ids, modules: saved.modules.map((file) => resolve(root, file)) }
  } catch {
    return undefined
  }
}
