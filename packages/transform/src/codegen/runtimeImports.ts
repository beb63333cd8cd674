import type { File } from '@babel/types'
import type MagicString from 'magic-string'
import { afterPrologue } from './afterPrologue.js'
import { uniqueIdentifier } from './uniqueIdentifier.js'

export interface RuntimeImports {
  /** The local name of `name`, imported from the runtime under a name the module does not use. */
  local(name: string): string
  /** Writes one import of every name asked for. */
  write(): void
}

/**
 * Names imported from `specifier` as the output needs them, in one statement. It goes after the
 * prologue (directives stay directives) on the same line, so every line of the output keeps its
 * number and stack traces match the source even without a source map; and before any statement
 * generated for that spot.
 */
export function runtimeImports(s: MagicString, ast: File, code: string, specifier: string): RuntimeImports {
  const locals = new Map<string, string>()
  return {
    local(name) {
      let local = locals.get(name)
      if (local === undefined) locals.set(name, (local = uniqueIdentifier(code, name, new Set(locals.values()))))
      return local
    },
    write() {
      if (locals.size === 0) return
      const { at, lineStart } = afterPrologue(ast, code)
      const semicolon = !lineStart && code[at - 1] !== ';' ? ';' : ''
      const bindings = [...locals].map(([name, local]) => (local === name ? name : `${name} as ${local}`)).join(', ')
      const statement = `import { ${bindings} } from ${JSON.stringify(specifier)};`
      s.prependLeft(at, lineStart ? `${statement} ` : `${semicolon} ${statement}`)
    },
  }
}
