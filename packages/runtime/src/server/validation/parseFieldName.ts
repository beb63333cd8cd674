/** `name[]`: a new element at the end of the list. */
export const APPEND = -1

/** A key, an index (≥ 0), or APPEND. */
export type NameSegment = string | number

/** The name has more segments than allowed. */
export const TOO_DEEP = 'too deep'

const DOT = 46 // .
const OPEN = 91 // [
const CLOSE = 93 // ]
const ZERO = 48
const NINE = 57
/** 15 digits stay below 2^53: every index is an exact number, so two different ones never merge. */
const MAX_INDEX_DIGITS = 15

/**
 * Splits a form field's name into the path of its value: `a.b` → a, b; `a[0]` → a, 0; `a[b]` → a, b;
 * `a[]` (only last) → a, APPEND. An index is a plain decimal number (`[0]`, `[12]`, not `[012]`); any
 * other text in brackets is a key. Null when the name does not follow these rules (an empty segment,
 * a bracket left open, `[]` before the end, a name that starts with `.` or `[`): such a name is one
 * key, as written. TOO_DEEP past `maxDepth` segments, found before the rest of the name is read.
 * One pass over the characters, no regular expression.
 */
export function parseFieldName(name: string, maxDepth: number): NameSegment[] | null | typeof TOO_DEEP {
  const length = name.length
  let i = keyEnd(name, 0)
  if (i === 0) return null
  const segments: NameSegment[] = [i === length ? name : name.slice(0, i)]
  while (i < length) {
    if (segments.length >= maxDepth) return TOO_DEEP
    const code = name.charCodeAt(i)
    if (code === DOT) {
      const start = i + 1
      i = keyEnd(name, start)
      if (i === start) return null
      segments.push(name.slice(start, i))
    } else if (code === OPEN) {
      const start = i + 1
      i = start
      while (i < length && name.charCodeAt(i) !== CLOSE && name.charCodeAt(i) !== OPEN) i++
      if (i === length || name.charCodeAt(i) !== CLOSE) return null
      const inner = name.slice(start, i)
      i++
      if (inner === '') {
        if (i !== length) return null
        segments.push(APPEND)
      } else segments.push(isIndex(inner) ? Number(inner) : inner)
    } else return null
  }
  return segments
}

/** Where the key starting at `start` ends: the next `.`, `[`, `]` or the end. */
function keyEnd(name: string, start: number): number {
  let i = start
  while (i < name.length) {
    const code = name.charCodeAt(i)
    if (code === DOT || code === OPEN || code === CLOSE) break
    i++
  }
  return i
}

function isIndex(text: string): boolean {
  if (text.length > MAX_INDEX_DIGITS || (text.length > 1 && text.charCodeAt(0) === ZERO)) return false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < ZERO || code > NINE) return false
  }
  return true
}
