import { relative } from 'node:path'
import type { CatalogEntry } from '../catalog.js'

export const MANIFEST_FILE = 'use-server-manifest.json'

export interface ManifestEntry {
  export: string
  chunk: string
  source: string
  loc: { line: number; column: number }
  kind: 'module' | 'inline'
  bound: string[]
}

/** `{ id: { export, chunk, source, loc, kind, bound } }`: what the production server can call. */
export function createManifest(rows: Array<{ entry: CatalogEntry; chunk: string }>, root: string): Record<string, ManifestEntry> {
  const manifest: Record<string, ManifestEntry> = {}
  for (const { entry, chunk } of rows) {
    manifest[entry.id] = {
      export: entry.exportName,
      chunk,
      source: relative(root, entry.file).replace(/\\/g, '/'),
      loc: entry.loc,
      kind: entry.kind,
      bound: entry.bound,
    }
  }
  return manifest
}
