/** 1-based line and 0-based column of a string offset, counting line ends as Babel does (`\r\n`, `\n`, `\r`, U+2028, U+2029). */
export function positionAt(source: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset; i++) {
    const ch = source.charCodeAt(i)
    if (ch === 10 /* \n */ || ch === 13 /* \r */ || ch === 0x2028 || ch === 0x2029) {
      if (ch === 13 && source.charCodeAt(i + 1) === 10) i++
      line++
      lineStart = i + 1
    }
  }
  return { line, column: offset - lineStart }
}
