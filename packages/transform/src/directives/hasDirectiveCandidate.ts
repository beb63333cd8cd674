const QUOTED = /(['"])use server\1/g

/**
 * Whether `'use server'` appears anywhere it could be a directive: at the start of the file or of a
 * function body, that is after nothing but `{`, `;`, another directive string or a comment. Most
 * mentions of the phrase (error messages in libraries, docs) sit inside other text and are
 * skipped without a parse. When in doubt (a line comment could hide what comes before) it answers
 * yes: a needless parse costs time, a missed directive would send server code to the browser.
 */
export function hasDirectiveCandidate(code: string): boolean {
  QUOTED.lastIndex = 0
  for (let match = QUOTED.exec(code); match; match = QUOTED.exec(code)) {
    if (mayStartStatement(code, match.index)) return true
  }
  return false
}

function mayStartStatement(code: string, index: number): boolean {
  let i = index - 1
  let crossedLine = false
  while (i >= 0 && /\s/.test(code[i]!)) {
    if (code[i] === '\n' || code[i] === '\r') crossedLine = true
    i--
  }
  if (i < 0) return true
  const before = code[i]!
  if (before === '{' || before === ';' || before === "'" || before === '"' || before === '/' || before === '\uFEFF') return true
  if (crossedLine) {
    // The previous line may be a hashbang, or end in a `// comment` hiding a `{` or `;` before it.
    const lineStart = code.lastIndexOf('\n', i) + 1
    const line = code.slice(lineStart, i + 1)
    return line.includes('//') || (lineStart === 0 && line.startsWith('#!'))
  }
  return false
}
