import type { ParserOptions, ParserPlugin } from '@babel/parser'
import type { File } from '@babel/types'
import { createRequire } from 'node:module'
import { positionAt } from '../errors/positionAt.js'
import { transformErrorAt } from '../errors/TransformError.js'
import { deepestNesting } from './deepestNesting.js'

// Babel's parser is loaded on the first parse, with `require`: most builds and dev servers meet few
// or no modules that need one, and importing the CommonJS parser as ESM costs a lexing pass over it.
type BabelParse = (code: string, options: ParserOptions) => File
let babelParse: BabelParse | undefined
const parse: BabelParse = (code, options) => {
  babelParse ??= (createRequire(import.meta.url)('@babel/parser') as typeof import('@babel/parser')).parse as BabelParse
  return babelParse(code, options)
}

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
    if (error instanceof RangeError && /call stack/i.test(error.message)) throw tooDeep(code, id)
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

/** Babel ran out of call stack: a PARSE_ERROR at the most deeply nested bracket, not a RangeError from nowhere. */
function tooDeep(code: string, id: string) {
  const reason =
    'Could not parse module: its code nests deeper than the parser can follow (the call stack ran out near here). ' +
    'Give the most deeply nested expression a few named parts.'
  return transformErrorAt('PARSE_ERROR', reason, code, id, positionAt(code, deepestNesting(code)))
}

function toTransformError(error: BabelSyntaxError, code: string, id: string) {
  if (!error.loc) return error
  // Babel appends "(line:column)" to its messages; the location travels in `loc` instead.
  const reason = error.message.replace(/\s*\(\d+:\d+\)$/, '')
  return transformErrorAt('PARSE_ERROR', `Could not parse module: ${reason}`, code, id, error.loc)
}
