// Vite queries that leave a module what it is (a version hash, an HMR timestamp, an import marker).
const TRANSPARENT_QUERY = new Set(['v', 't', 'import', 'direct'])

/**
 * The file path of a module id, or null when the id is virtual or asks for something other than
 * the module's code (`?raw`, `?url`, `?worker`…), which must not be compiled.
 */
export function compilableFile(id: string): string | null {
  if (id.startsWith('\0') || id.startsWith('virtual:')) return null
  const [file, query] = id.split('?', 2) as [string, string | undefined]
  if (query && [...new URLSearchParams(query).keys()].some((key) => !TRANSPARENT_QUERY.has(key))) return null
  return file
}
