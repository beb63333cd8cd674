import { afterHashbang, skipTrivia } from '../parse/sourceTokens.js'

/**
 * Reads the string literals at the start of a module without parsing it: enough to notice a
 * misspelled directive in a file whose text never says `use server` (and so is never parsed).
 * It may over-report (a string that turns out to start an expression); the caller confirms with a parse.
 */
export function scanPrologueStrings(code: string): string[] {
  const strings: string[] = []
  let i = skipTrivia(code, afterHashbang(code))
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
