import { createRequire } from 'node:module'

// Loaded when a first error needs a frame.
let codeFrameColumns: typeof import('@babel/code-frame').codeFrameColumns | undefined

/** Every way a module can fail to compile; stable strings that tests and tools can match on. */
export type TransformErrorCode =
  | 'PARSE_ERROR'
  | 'DIRECTIVE_MISSPELLED'
  | 'DIRECTIVE_CONFLICT'
  | 'EXPORT_NOT_ASYNC'
  | 'EXPORT_NOT_FUNCTION'
  | 'EXPORT_WITHOUT_VALUE'
  | 'EXPORT_STAR'
  | 'EXPORT_UNSUPPORTED'
  | 'INLINE_ON_CLIENT'
  | 'INLINE_NOT_ASYNC'
  | 'INLINE_UNSUPPORTED_METHOD'
  | 'INLINE_USES_THIS'
  | 'INLINE_USES_ARGUMENTS'
  | 'INLINE_USES_SUPER'
  | 'INLINE_ASSIGNS_CAPTURED'
  | 'INLINE_CAPTURES_UNINITIALIZED'
  | 'INLINE_DECLARED_TWICE'

/**
 * Where an error points. `line` is 1-based and `column` 0-based: the convention of Rollup and Vite,
 * whose error overlay reads `loc` and `frame` straight off the thrown error.
 */
export interface ErrorLocation {
  file: string
  line: number
  column: number
}

export class TransformError extends Error {
  override readonly name = 'UseServerTransformError'
  readonly code: TransformErrorCode
  readonly loc: ErrorLocation
  readonly frame: string

  // The message holds the reason only, as in Rollup and Vite, which print `loc` and `frame` themselves.
  constructor(code: TransformErrorCode, message: string, loc: ErrorLocation, frame: string) {
    super(message)
    this.code = code
    this.loc = loc
    this.frame = frame
    // About the app's code, not a fault of the compiler: its place there is the one frame worth
    // showing (error overlays link it); the compiler's own frames would only hide it.
    this.stack = `${this.name}: ${message}\n    at ${loc.file}:${loc.line}:${loc.column + 1}`
  }
}

/** What a module may do without failing, but most likely not as its author meant. */
export type TransformWarningCode = 'DIRECTIVE_NOT_IN_PROLOGUE'

/** Reported through `TransformOptions.onWarning`; shaped like a Rollup log, for `this.warn`. */
export interface TransformWarning {
  code: TransformWarningCode
  message: string
  loc: ErrorLocation
  frame: string
}

/** Builds a TransformError pointing at `position` (1-based line, 0-based column) of `source`. */
export function transformErrorAt(
  code: TransformErrorCode,
  reason: string,
  source: string,
  file: string,
  position: { line: number; column: number },
): TransformError {
  return new TransformError(code, reason, { file, line: position.line, column: position.column }, codeFrame(source, position))
}

export function transformWarningAt(
  code: TransformWarningCode,
  message: string,
  source: string,
  file: string,
  position: { line: number; column: number },
): TransformWarning {
  return { code, message, loc: { file, line: position.line, column: position.column }, frame: codeFrame(source, position) }
}

function codeFrame(source: string, position: { line: number; column: number }): string {
  codeFrameColumns ??= (createRequire(import.meta.url)('@babel/code-frame') as typeof import('@babel/code-frame')).codeFrameColumns
  return codeFrameColumns(source, { start: { line: position.line, column: position.column + 1 } }, { highlightCode: false, linesAbove: 2, linesBelow: 2 })
}
