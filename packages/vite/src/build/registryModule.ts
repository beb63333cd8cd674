import { posix } from 'node:path'
import { RUNTIME_SERVER } from '../runtimeModules.js'

/** The registry's chunk in a server build's output. */
export const REGISTRY_FILE = 'use-server-registry.js'

/** Stands in the registry's code until the bundle's file names are known (generateBundle). */
const PLACEHOLDER = '__USE_SERVER_FUNCTION_TABLE__'
const PLACEHOLDER_LITERAL = /(["'`])__USE_SERVER_FUNCTION_TABLE__\1/

export interface RegistryRow {
  id: string
  exportName: string
  name: string
  boundCount: number
  /** File name of the chunk that exports the function, relative to the output directory. */
  chunk: string
}

/**
 * The registry module of a server build: installs a resolver that imports each server-function
 * chunk lazily, on the first call of one of its functions. In development it does nothing (the
 * plugin's dev resolver is installed instead). A chunk that fails to load is tried again next call.
 * `bindsValues` tells whether any function has bound values (whose tokens need USE_SERVER_KEY).
 */
export function registryModuleCode(dev: boolean): string {
  if (dev) return 'export const bindsValues = false;\n'
  return `import { installServerFunctionResolver } from ${JSON.stringify(RUNTIME_SERVER)};
const table = new Map(${JSON.stringify(PLACEHOLDER)});
export const bindsValues = [...table.values()].some((entry) => entry.boundCount > 0);
installServerFunctionResolver((id) => {
  const entry = table.get(id);
  if (!entry) return undefined;
  // After the first call the entry answers synchronously: no import() job or promise per call.
  if (entry.resolved) return entry.resolved;
  return entry.load().then((module) => (entry.resolved = { fn: module[entry.exportName], name: entry.name, boundCount: entry.boundCount }));
});
`
}

/** Writes the table into the registry's chunk; undefined when `code` is not that chunk. */
export function fillRegistry(code: string, registryFileName: string, rows: RegistryRow[]): string | undefined {
  if (!PLACEHOLDER_LITERAL.test(code)) return undefined
  const from = posix.dirname(registryFileName)
  const entries = rows.map((row) => {
    let path = posix.relative(from, row.chunk)
    if (!path.startsWith('.')) path = `./${path}`
    const value = `{exportName:${JSON.stringify(row.exportName)},name:${JSON.stringify(row.name)},boundCount:${row.boundCount},load:()=>import(${JSON.stringify(path)})}`
    return `[${JSON.stringify(row.id)},${value}]`
  })
  // One line, so the chunk's other lines keep their numbers. A replacer function, because export
  // names like `$$server_…` would read as `$` patterns in a replacement string.
  return code.replace(PLACEHOLDER_LITERAL, () => `[${entries.join(',')}]`)
}
