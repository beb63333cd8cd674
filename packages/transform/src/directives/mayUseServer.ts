import { isUseServerNearMiss } from './nearMiss.js'
import { scanPrologueStrings } from './scanPrologue.js'

// A string literal that looks like a (mis)spelled 'use server': `'use sever'`, `"useServer"`, `'us server'`.
// Loose on purpose (a false match costs one parse); `'use strict'` and `'use client'` do not match.
const DIRECTIVE_LIKE_TEXT = String.raw`\s*u[a-z]{0,2}[\s_.-]*s[erv]{2,6}[\s;]*`
const DIRECTIVE_LIKE = new RegExp(`(["'])${DIRECTIVE_LIKE_TEXT}\\1`, 'gi')

// Each piece of trivia can be read one way only (a line comment runs to its line end, a block
// comment to its first `*/`), so a long run of comments cannot make the match backtrack exponentially.
const LEADING_TRIVIA = String.raw`(?:\s|//[^\n\r\u2028\u2029]*(?:[\n\r\u2028\u2029]|$)|/\*[^*]*\*+(?:[^/*][^*]*\*+)*/)*`

/**
 * For a bundler's hook filter (Vite's `transform.filter.code`), tested before any plugin code runs:
 * it matches every module `mayUseServer` accepts — a directive-like string anywhere, or a module
 * that starts with a string literal (whose prologue may hold a misspelling no pattern can describe,
 * `'use sarver'`) — and a few more, which `mayUseServer` then turns away.
 */
export const SERVER_DIRECTIVE_FILTER = new RegExp(`["']${DIRECTIVE_LIKE_TEXT}["']|^\\uFEFF?(?:#![^\\n]*\\n)?${LEADING_TRIVIA}["']`, 'i')

/**
 * The cheap test that lets most modules of an app skip parsing: true when the text could hold a
 * 'use server' directive, at module level or in a function, spelled right or nearly. A directive
 * starts a statement, so the many mentions of the phrase inside other text (error messages in
 * libraries, docs) are passed over without a parse.
 */
export function mayUseServer(code: string): boolean {
  return directiveLikeFrom(code, 0) || scanPrologueStrings(code).some(isUseServerNearMiss)
}

/** For a 'use server' module: true when more than its directive could say 'use server' (inline directives inside). */
export function mayHaveInlineDirective(code: string, moduleDirectiveEnd: number): boolean {
  return directiveLikeFrom(code, moduleDirectiveEnd)
}

function directiveLikeFrom(code: string, from: number): boolean {
  DIRECTIVE_LIKE.lastIndex = from
  for (let match = DIRECTIVE_LIKE.exec(code); match; match = DIRECTIVE_LIKE.exec(code)) {
    if (mayStartStatement(code, match.index)) return true
  }
  return false
}

// Characters after which a string on the next line still continues the expression (`'a' +\n'b'`, `[\n'b'`).
// Not `!`, `>` or `.`, which may end a statement (`x!`, `<div />`, `1.`), nor `++` and `--`.
const CONTINUES_EXPRESSION = new Set([...'([,=:?+-*%&|^~<'])

/** Whether the code that ends at `i`, before a line break, certainly goes on as an expression on the next line. */
export function continuesOnNextLine(code: string, i: number): boolean {
  const ch = code[i]!
  return CONTINUES_EXPRESSION.has(ch) && !((ch === '+' || ch === '-') && code[i - 1] === ch)
}

/**
 * Whether a string at `index` could begin a statement: after nothing but `{`, `;`, another
 * directive string or a comment, or on a line of its own after code that ends a statement (where
 * it is no directive, but is worth a warning). When in doubt (a line comment could hide what comes
 * before) it answers yes: a needless parse costs time, a missed directive would send server code to the browser.
 */
function mayStartStatement(code: string, index: number): boolean {
  let i = index - 1
  let crossedLine = false
  while (i >= 0 && /\s/.test(code[i]!)) {
    const ch = code[i]
    if (ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029') crossedLine = true
    i--
  }
  if (i < 0) return true
  const before = code[i]!
  // `('use server')`: no directive, but worth a warning where the parenthesis starts a statement
  if (before === '(') return mayStartStatement(code, i)
  if (before === '{' || before === ';' || before === "'" || before === '"' || before === '/' || before === '\uFEFF') return true
  if (crossedLine) {
    // The previous line may be a hashbang, or end in a `// comment` hiding a `{` or `;` before it.
    const lineStart = code.lastIndexOf('\n', i) + 1
    const line = code.slice(lineStart, i + 1)
    return !continuesOnNextLine(code, i) || line.includes('//') || (lineStart === 0 && line.startsWith('#!'))
  }
  return false
}
