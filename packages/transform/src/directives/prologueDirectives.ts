import { afterHashbang, skipTrivia } from '../parse/sourceTokens.js'

/** A directive as the parser sees it: its text, the string literal's span, the statement's end (past a `;`). */
export interface PrologueDirective {
  value: string
  start: number
  valueEnd: number
  end: number
}

/**
 * The directives of a module's prologue read from its text, without a parse, or null when the text
 * alone cannot tell: a string that may continue as an expression (`'use server'.length`,
 * `'use server'\n(f)`), one with an escape or unterminated. Unlike `scanPrologueStrings`, which may
 * over-report, every string returned is a directive to a parser too; null sends the caller to one.
 */
export function prologueDirectives(code: string): PrologueDirective[] | null {
  const directives: PrologueDirective[] = []
  let i = skipTrivia(code, afterHashbang(code))
  while (i < code.length) {
    const quote = code[i]
    if (quote !== '"' && quote !== "'") return directives
    const end = stringEnd(code, i + 1, quote)
    if (end < 0) return null
    const directive = { value: code.slice(i + 1, end), start: i, valueEnd: end + 1, end: end + 1 }
    const next = skipTrivia(code, end + 1)
    if (code[next] === ';') {
      directive.end = next + 1
      i = skipTrivia(code, next + 1)
    } else if (next === code.length || (hasLineBreak(code, end + 1, next) && startsNewStatement(code, next))) {
      i = next // the line break ends the statement (automatic semicolon insertion)
    } else {
      return null
    }
    directives.push(directive)
  }
  return directives
}

/** The closing quote's offset; -1 for an escape (a directive is only ever its exact text) or a line break. */
function stringEnd(code: string, from: number, quote: string): number {
  for (let i = from; i < code.length; i++) {
    const ch = code[i]
    if (ch === quote) return i
    if (ch === '\\' || ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029') return -1
  }
  return -1
}

function hasLineBreak(code: string, from: number, to: number): boolean {
  return /[\n\r\u2028\u2029]/.test(code.slice(from, to))
}

// After a string and a line break, a word or another string cannot continue the string's expression,
// except these operators spelled as words.
const CONTINUING_WORDS = /^(?:in|instanceof|as|satisfies)(?![\w$])/

function startsNewStatement(code: string, at: number): boolean {
  const ch = code[at]!
  if (ch === '"' || ch === "'") return true
  return /[A-Za-z_$]/.test(ch) && !CONTINUING_WORDS.test(code.slice(at, at + 11))
}
