import MagicString, { type SourceMap } from 'magic-string'
import { readdirSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'

// The embedded production server is bundled once, when this package is built
// (scripts/bundleProductionServer.mjs): the server and the runtime entries server code imports, with
// their dependencies inside. An app's server build copies those files into its output and imports
// them, instead of bundling the same few hundred modules in every build.

/** Where the files go in the server build's output. */
export const PRODUCTION_SERVER_DIR = 'use-server-runtime'

/** The embedded server's entry imports `startProductionServer` from this id. */
export const PRODUCTION_SERVER_MODULE = 'virtual:use-server/production-server'

/** The runtime entries inside the bundle: server code importing them gets the bundle's copy (one runtime, loaded once). */
const RUNTIME_ENTRIES: Record<string, string> = {
  '@use-server/runtime/server': 'server.js',
  '@use-server/runtime/node': 'node.js',
  '@use-server/runtime/redis': 'redis.js',
}

/** Stands for a bundle file in the chunks until each chunk's relative path to it is known (renderChunk). */
const PLACEHOLDER = 'use-server-production-server:'
const PLACEHOLDER_LITERAL = /(["'`])use-server-production-server:([\w./-]+)\1/g

/** The external module that stands for a runtime entry or the server, or undefined for anything else. */
export function productionServerImport(source: string): { id: string; external: true } | undefined {
  const file = source === PRODUCTION_SERVER_MODULE ? 'production.js' : RUNTIME_ENTRIES[source]
  return file === undefined ? undefined : { id: PLACEHOLDER + file, external: true }
}

/** Whether a chunk's code imports the bundle (and needs `linkProductionServer`). */
export const importsProductionServer = (code: string): boolean => code.includes(PLACEHOLDER)

/** A chunk's code with each placeholder import made the path from the chunk to the bundle's file (and a map of that edit). */
export function linkProductionServer(code: string, chunkFileName: string, withMap: boolean): { code: string; map: SourceMap | null } {
  const from = posix.dirname(chunkFileName)
  const links = [...code.matchAll(PLACEHOLDER_LITERAL)].map((match) => {
    let path = posix.relative(from, `${PRODUCTION_SERVER_DIR}/${match[2]}`)
    if (!path.startsWith('.')) path = `./${path}`
    return { start: match.index, end: match.index + match[0].length, text: JSON.stringify(path) }
  })
  if (!withMap) {
    let linked = ''
    let at = 0
    for (const { start, end, text } of links) (linked += code.slice(at, start) + text), (at = end)
    return { code: linked + code.slice(at), map: null }
  }
  const edited = new MagicString(code)
  for (const { start, end, text } of links) edited.overwrite(start, end, text)
  return { code: edited.toString(), map: edited.generateMap({ hires: 'boundary' }) }
}

let files: Array<{ fileName: string; source: string }> | undefined

/** The bundle's files (paths relative to PRODUCTION_SERVER_DIR), read once per process. */
export function productionServerFiles(): Array<{ fileName: string; source: string }> {
  if (files) return files
  // From the package's root, whatever file of dist this module ends up in.
  const dir = fileURLToPath(new URL('dist/production-server/', import.meta.resolve('@use-server/vite/package.json')))
  let names: string[]
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.js'))
  } catch {
    names = []
  }
  if (!names.includes('production.js')) {
    throw new Error(`use-server: the bundled production server is missing from ${dir}. Reinstall @use-server/vite (in its repository: pnpm build).`)
  }
  return (files = names.map((name) => ({ fileName: name.split(/[\\/]/).join('/'), source: readFileSync(join(dir, name), 'utf8') })))
}
