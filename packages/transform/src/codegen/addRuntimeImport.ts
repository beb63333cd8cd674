import type { File } from '@babel/types'
import type MagicString from 'magic-string'
import { afterPrologue } from './afterPrologue.js'
import { uniqueIdentifier } from './uniqueIdentifier.js'

/**
 * Imports `name` from `specifier` under a local name the module does not use, and returns that name.
 * The import goes after the prologue (directives stay directives) on the same line, so every line
 * of the output keeps its number and stack traces match the source even without a source map.
 */
export function addRuntimeImport(s: MagicString, ast: File, code: string, specifier: string, name: string): string {
  const local = uniqueIdentifier(code, name)
  const { at, lineStart } = afterPrologue(ast, code)
  const semicolon = !lineStart && code[at - 1] !== ';' ? ';' : ''
  const binding = local === name ? name : `${name} as ${local}`
  const statement = `import { ${binding} } from ${JSON.stringify(specifier)};`
  s.appendLeft(at, lineStart ? `${statement} ` : `${semicolon} ${statement}`)
  return local
}
