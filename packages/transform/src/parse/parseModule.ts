import { parse, type ParserPlugin } from '@babel/parser'
import type { File } from '@babel/types'
import { transformErrorAt } from '../errors/TransformError.js'

const TS_EXTENSIONS = /\.[cm]?ts$/
const TSX_EXTENSION = /\.tsx$/

/** Babel parser plugins for a module id, chosen from its extension (a `?query` is ignored). */
export function parserPluginsFor(id: string): ParserPlugin[] {
  const path = id.replace(/[?#].*$/, '')
  if (TSX_EXTENSION.test(path)) return ['typescript', 'jsx', 'decorators-legacy', 'explicitResourceManagement']
  if (TS_EXTENSIONS.test(path)) return ['typescript', 'decorators-legacy', 'explicitResourceManagement']
  return ['jsx', 'decorators', 'explicitResourceManagement']
}

interface BabelSyntaxError extends SyntaxError {
  loc?: { line: number; column: number }
  reasonCode?: string
}

/**
 * Parses a module for analysis only: the AST gives positions, the output is edited as text.
 * TypeScript files use legacy decorators (what `experimentalDecorators` projects write, parameter
 * decorators included) and fall back to standard decorators when that is what the file uses.
 */
export function parseModule(code: string, id: string): File {
  const plugins = parserPluginsFor(id)
  try {
    return parse(code, { sourceType: 'module', plugins, attachComment: false })
  } catch (error) {
    if (plugins.includes('decorators-legacy') && code.includes('@')) {
      const standard = plugins.map((p) => (p === 'decorators-legacy' ? 'decorators' : p))
      try {
        return parse(code, { sourceType: 'module', plugins: standard, attachComment: false })
      } catch {
        // report the first error: it is the one most projects expect
      }
    }
    throw toTransformError(error as BabelSyntaxError, code, id)
  }
}

function toTransformError(error: BabelSyntaxError, code: string, id: string) {
  if (!error.loc) return error
  // Babel appends "(line:column)" to its messages; the location travels in `loc` instead.
  const reason = error.message.replace(/\s*\(\d+:\d+\)$/, '')
  return transformErrorAt('PARSE_ERROR', `Could not parse module: ${reason}`, code, id, error.loc)
}
