// Babel's AST records nodes, not the tokens between them (`async`, `*`, `(`, `=>`, `[`). Edits that
// must land on such a token find it here, scanning forward from a node boundary past whitespace and comments.

/** The offset of the first character at or after `from` that is not whitespace or a comment. */
export function skipTrivia(code: string, from: number): number {
  let i = from
  while (i < code.length) {
    const ch = code.charCodeAt(i)
    if (ch === 32 || (ch >= 9 && ch <= 13) || ch === 0xa0 || ch === 0xfeff || ch === 0x2028 || ch === 0x2029) i++
    else if (ch === 47 /* / */ && code.charCodeAt(i + 1) === 47) {
      while (i < code.length && !isLineBreak(code.charCodeAt(i))) i++
    } else if (ch === 47 && code.charCodeAt(i + 1) === 42 /* * */) {
      const end = code.indexOf('*/', i + 2)
      i = end < 0 ? code.length : end + 2
    } else break
  }
  return i
}

/** Where a module's code begins: past a byte order mark and a hashbang, which ends at any line break (`\r` and U+2028 too). */
export function afterHashbang(code: string): number {
  let i = code.charCodeAt(0) === 0xfeff ? 1 : 0
  if (!code.startsWith('#!', i)) return i
  while (i < code.length && !isLineBreak(code.charCodeAt(i))) i++
  return i
}

/** The offset of `token`, the next thing after `from` once trivia is skipped. Throws if something else comes first. */
export function expectToken(code: string, from: number, token: string): number {
  const at = skipTrivia(code, from)
  if (!code.startsWith(token, at)) {
    throw new Error(`use-server: expected "${token}" at offset ${at}, found ${JSON.stringify(code.slice(at, at + 20))}`)
  }
  return at
}

/** Like `expectToken`, but first passes any of `skipped` (single characters such as `)` or `,`). */
export function findTokenAfter(code: string, from: number, token: string, skipped: string): number {
  let at = skipTrivia(code, from)
  while (at < code.length && !code.startsWith(token, at) && skipped.includes(code[at]!)) at = skipTrivia(code, at + 1)
  return expectToken(code, at, token)
}

/** Line breaks in `code` between `start` and `end`, counting `\r\n` once. */
export function countLineBreaks(code: string, start: number, end: number): number {
  let count = 0
  for (let i = start; i < end; i++) {
    const ch = code.charCodeAt(i)
    if (ch === 13 && code.charCodeAt(i + 1) === 10) continue
    if (isLineBreak(ch)) count++
  }
  return count
}

function isLineBreak(ch: number): boolean {
  return ch === 10 || ch === 13 || ch === 0x2028 || ch === 0x2029
}
