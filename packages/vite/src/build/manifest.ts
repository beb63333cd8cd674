import { toModulePath } from '@use-server/transform'
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
      source: toModulePath(entry.file, root), // the path its ids are made from
      loc: entry.loc,
      kind: entry.kind,
      bound: entry.bound,
    }
  }
  return manifest
}
