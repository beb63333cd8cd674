import { createRequire } from 'node:module'

// Loaded when a first error needs a frame.
let codeFrameColumns: typeof import('@babel/code-frame').codeFrameColumns | undefined

/** Every way a module can fail to compile; stable strings that tests and tools can match on. */
export type TransformErrorCode =
  | 'PARSE_ERROR'
  | 'DIRECTIVE_MISSPELLED'
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
  }
}

/** Builds a TransformError pointing at `position` (1-based line, 0-based column) of `source`. */
export function transformErrorAt(
  code: TransformErrorCode,
  reason: string,
  source: string,
  file: string,
  position: { line: number; column: number },
): TransformError {
  codeFrameColumns ??= (createRequire(import.meta.url)('@babel/code-frame') as typeof import('@babel/code-frame')).codeFrameColumns
  const frame = codeFrameColumns(
    source,
    { start: { line: position.line, column: position.column + 1 } },
    { highlightCode: false, linesAbove: 2, linesBelow: 2 },
  )
  return new TransformError(code, reason, { file, line: position.line, column: position.column }, frame)
}
