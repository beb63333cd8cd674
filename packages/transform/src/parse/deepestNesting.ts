// Babel's parser is recursive: a few hundred nested parentheses, arrows or brackets (generated code, mostly)
// run it out of call stack, and its RangeError says nowhere where. This finds the place to point at.

const OPENERS = '([{'
const CLOSERS = ')]}'

/**
 * The offset of the most deeply nested bracket in `code`, counting `(`, `[` and `{` outside comments and
 * quoted strings. An estimate (a regular expression or template text holding brackets can shift it), good
 * enough to show someone where their code nests deepest.
 */
export function deepestNesting(code: string): number {
  let depth = 0
  let deepest = -1
  let at = 0
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!
    if (ch === '/' && code[i + 1] === '/') {
      const end = code.indexOf('\n', i)
      i = end < 0 ? code.length : end
    } else if (ch === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2)
      i = end < 0 ? code.length : end + 1
    } else if (ch === '"' || ch === "'") {
      i = closingQuote(code, i, ch)
    } else if (OPENERS.includes(ch)) {
      if (++depth > deepest) (deepest = depth), (at = i)
    } else if (CLOSERS.includes(ch)) {
      depth = Math.max(0, depth - 1)
    }
  }
  return at
}

/** The offset of the quote that closes the string opened at `from` (or the line's end, for an unclosed one). */
function closingQuote(code: string, from: number, quote: string): number {
  for (let i = from + 1; i < code.length; i++) {
    const ch = code[i]
    if (ch === '\\') i++
    else if (ch === quote || ch === '\n') return i
  }
  return code.length
}
