/**
 * Reads the string literals at the start of a module without parsing it: enough to notice a
 * misspelled directive in a file whose text never says `use server` (and so is never parsed).
 * It may over-report (a string that turns out to start an expression); the caller confirms with a parse.
 */
export function scanPrologueStrings(code: string): string[] {
  const strings: string[] = []
  const start = code.charCodeAt(0) === 0xfeff ? 1 : 0
  let i = skipTrivia(code, code.startsWith('#!', start) ? code.indexOf('\n') + 1 || code.length : start)
  while (i < code.length) {
    const quote = code[i]
    if (quote !== '"' && quote !== "'") break
    const end = findStringEnd(code, i + 1, quote)
    if (end < 0) break
    strings.push(code.slice(i + 1, end))
    i = skipTrivia(code, end + 1)
    if (code[i] === ';') i = skipTrivia(code, i + 1)
  }
  return strings
}

function findStringEnd(code: string, from: number, quote: string): number {
  for (let i = from; i < code.length; i++) {
    const ch = code[i]
    if (ch === '\\') i++
    else if (ch === quote) return i
    else if (ch === '\n' || ch === '\r') return -1
  }
  return -1
}

function skipTrivia(code: string, from: number): number {
  let i = from
  while (i < code.length) {
    const ch = code.charCodeAt(i)
    if (ch === 0xfeff || ch === 32 || (ch >= 9 && ch <= 13)) i++
    else if (code.startsWith('//', i)) {
      const end = code.indexOf('\n', i)
      i = end < 0 ? code.length : end + 1
    } else if (code.startsWith('/*', i)) {
      const end = code.indexOf('*/', i + 2)
      i = end < 0 ? code.length : end + 2
    } else break
  }
  return i
}
