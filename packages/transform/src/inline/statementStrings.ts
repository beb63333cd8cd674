import { continuesOnNextLine } from '../directives/mayUseServer.js'

// Every 'use server' the module walk acts on is a string literal that opens a statement: a directive
// in a function body's prologue (right or misspelled), or a misplaced one (a warning). A module-level
// statement with no string that could open a statement holds neither, and declares nothing an inline
// function could capture (module-level names are never captured), so the walk passes over it.
// Found from the text, conservatively: a quote after anything that can end a statement or open one.

/**
 * Answers, for module-level statements in order, whether a string that could open a statement lies
 * in `[start, end)`. Quotes are found with `indexOf` and judged only until the first that could.
 */
export class StatementStrings {
  private nextSingle: number
  private nextDouble: number

  constructor(private readonly code: string) {
    this.nextSingle = code.indexOf("'")
    this.nextDouble = code.indexOf('"')
  }

  /** `start` never goes back from one call to the next. */
  holdsOne(start: number, end: number): boolean {
    const code = this.code
    if (this.nextSingle !== -1 && this.nextSingle < start) this.nextSingle = code.indexOf("'", start)
    if (this.nextDouble !== -1 && this.nextDouble < start) this.nextDouble = code.indexOf('"', start)
    for (;;) {
      const single = this.nextSingle !== -1 && this.nextSingle < end && (this.nextDouble === -1 || this.nextSingle < this.nextDouble)
      const at = single ? this.nextSingle : this.nextDouble
      if (at === -1 || at >= end) return false
      if (mayOpenStatement(code, at)) return true
      if (single) this.nextSingle = code.indexOf("'", at + 1)
      else this.nextDouble = code.indexOf('"', at + 1)
    }
  }
}

// Characters after which a string may open a statement (a quote: another directive; `/`: a comment).
const OPENS_AFTER = new Set([...'{;})\'"/:`'])

/**
 * A string at `index` may open a statement unless the code before it (on its line) certainly
 * continues an expression. After `{ ; } ) :`, a quote, a comment, `else` or `do` it may; so it may
 * on a new line unless the previous one ends in an operator (its `//` comment may hide anything).
 */
function mayOpenStatement(code: string, index: number): boolean {
  let i = index - 1
  let crossedLine = false
  for (; i >= 0; i--) {
    const c = code.charCodeAt(i)
    if (isLineTerminator(c)) crossedLine = true
    else if (!(c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || (c > 0x1000 && /\s/.test(code[i]!)))) break
  }
  if (i < 0) return true
  const before = code[i]!
  if (before === '(') return mayOpenStatement(code, i) // `('use server')`
  if (OPENS_AFTER.has(before)) return true
  if (endsWord(code, i, 'else') || endsWord(code, i, 'do')) return true
  if (!crossedLine) return false
  let lineStart = i
  while (lineStart > 0 && !isLineTerminator(code.charCodeAt(lineStart - 1))) lineStart--
  return !continuesOnNextLine(code, i) || code.slice(lineStart, i + 1).includes('//')
}

/** Whether the word that ends at `i` (inclusive) is `word`. */
function endsWord(code: string, i: number, word: string): boolean {
  const start = i - word.length + 1
  return start >= 0 && code.startsWith(word, start) && (start === 0 || !/[\w$]/.test(code[start - 1]!))
}

function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029
}
