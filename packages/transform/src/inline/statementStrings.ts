// Every 'use server' the module walk acts on is a string literal that opens a statement: a directive
// in a function body's prologue (right or misspelled), or a misplaced one (a warning). A module-level
// statement with no string that could open a statement holds neither, and declares nothing an inline
// function could capture (module-level names are never captured), so the walk passes over it.
// Found from the text, conservatively: a quote after anything that can end a statement or open one.

/** Offsets of every `'` and `"` of `code` that could open a statement, in order. */
export function statementStringStarts(code: string): number[] {
  const starts: number[] = []
  for (const quote of ["'", '"']) {
    for (let at = code.indexOf(quote); at !== -1; at = code.indexOf(quote, at + 1)) {
      if (mayOpenStatement(code, at)) starts.push(at)
    }
  }
  return starts.sort((a, b) => a - b)
}

/** Whether one of `starts` (sorted) lies in `[start, end)`: binary search. */
export function holdsStatementString(starts: readonly number[], start: number, end: number): boolean {
  let low = 0
  let high = starts.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (starts[middle]! < start) low = middle + 1
    else high = middle
  }
  return low < starts.length && starts[low]! < end
}

// Characters after which a string on the next line still continues the expression (`'a' +\n'b'`).
const CONTINUES_EXPRESSION = new Set([...'([,=:?+-*%&|^!~<>.'])

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
  if ('{;})\'"/:`'.includes(before)) return true
  if (/[\w$]/.test(before)) {
    const word = /[\w$]+$/.exec(code.slice(Math.max(0, i - 10), i + 1))![0]
    if (word === 'else' || word === 'do') return true
  }
  if (!crossedLine) return false
  let lineStart = i
  while (lineStart > 0 && !isLineTerminator(code.charCodeAt(lineStart - 1))) lineStart--
  return !CONTINUES_EXPRESSION.has(before) || code.slice(lineStart, i + 1).includes('//')
}

function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029
}
