import type { File } from '@babel/types'

/**
 * Where generated statements go so they run before the module's own code, on the line it starts on
 * (so no line moves): after the directive prologue, or at the start of the first line after a hashbang.
 * `lineStart` tells whether the spot begins a line (the text then ends with a space) or follows a
 * directive (it then starts with one).
 */
export function afterPrologue(ast: File, code: string): { at: number; lineStart: boolean } {
  const directives = ast.program.directives
  const last = directives[directives.length - 1]
  if (last) return { at: last.end!, lineStart: false }
  const interpreter = ast.program.interpreter
  if (!interpreter) return { at: 0, lineStart: true }
  const lineEnd = /\r\n?|\n|\u2028|\u2029/.exec(code.slice(interpreter.end!))
  return { at: lineEnd ? interpreter.end! + lineEnd.index + lineEnd[0].length : code.length, lineStart: true }
}
