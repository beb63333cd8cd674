import { HOLE, REFERENCE_TAG, SENTINEL_VALUES, SPARSE, VIEW_TAG } from '../../codec/devalueFormat.js'

export interface DecodeLimits {
  /** Deepest nesting of objects, arrays, maps and sets. Default 128. */
  maxDepth: number
  /** Most values in one payload (every object, array, string and number counts). Default 100 000. */
  maxEntries: number
  /** Longest BigInt, in digits (parsing a huge one is quadratic). Default 1 000. */
  maxBigIntDigits: number
  /** Largest total declared length of the sparse arrays in one payload. Default 1 000 000. */
  maxArrayLength: number
  /** Most parts in a multipart body (the files of a call), or fields in a form posted without JavaScript. Default 1 000. */
  maxParts: number
  /** Most arguments of a call, and most values bound to a server function sent as an argument. Default 1 000. */
  maxArguments: number
  /** Most server functions in one payload (each is looked up, and its token opened, while decoding). Default 100. */
  maxReferences: number
  /** Most queries a call may ask to refresh in the same response (single flight). Default 50. */
  maxQueries: number
  /**
   * Accept RegExp values from clients. Off by default: a pattern chosen by a client can make ordinary
   * app code (`text.split(pattern)`) run for seconds (ReDoS).
   */
  allowRegExp: boolean
}

export const DEFAULT_LIMITS: DecodeLimits = {
  maxDepth: 128,
  maxEntries: 100_000,
  maxBigIntDigits: 1_000,
  maxArrayLength: 1_000_000,
  maxParts: 1_000,
  maxArguments: 1_000,
  maxReferences: 100,
  maxQueries: 50,
  allowRegExp: false,
}

/** Malformed or oversized input: always a 400, with a message that says what was wrong. */
export class PayloadError extends Error {
  override name = 'PayloadError'
}

const STRING_TAGS = new Set(['Date', 'URL', 'URLSearchParams', 'ArrayBuffer'])
const CHILD_TAGS = new Set(['Set', 'Map', 'Object'])

/**
 * Keys the language or the platform reads and calls on its own: `await` calls `then`, string and
 * number conversion call `toString`/`valueOf`, `JSON.stringify` calls `toJSON`, and `constructor` is
 * where duck-typed code looks. A server function under one of them would run without the app asking.
 */
const IMPLICITLY_CALLED = new Set(['then', 'toString', 'valueOf', 'toJSON', 'toLocaleString', 'constructor'])

/**
 * Checks the flat devalue array before anything is built from it: every index in range, nesting
 * within `maxDepth` (measured in the order devalue will recurse, so its recursion cannot overflow
 * the stack), only known types, no `__proto__` keys, bounded BigInts, sparse lengths and server
 * functions, no RegExp unless allowed, and no server function under a key the language calls on
 * its own (`then`, `toString`…: any `await` or string conversion would run it). Returns whether the
 * payload holds any of `customTags` (revivers are needed only then).
 */
export function validatePayload(values: unknown, customTags: ReadonlySet<string>, limits: DecodeLimits): boolean {
  if (typeof values === 'number') {
    if (!(values in SENTINEL_VALUES)) throw new PayloadError(`invalid root value ${values}`)
    return false
  }
  if (!Array.isArray(values) || values.length === 0) throw new PayloadError('expected a devalue array')
  if (values.length > limits.maxEntries) throw new PayloadError(`${values.length} values exceed the limit of ${limits.maxEntries}`)

  const visited = new Uint8Array(values.length)
  let sparseLength = 0
  let references = 0
  let custom = false
  // Pairs of (index, depth), children pushed last to first so they are checked in devalue's order.
  const stack: unknown[] = [0, 1]

  while (stack.length > 0) {
    const depth = stack.pop() as number
    const index = stack.pop()
    if (typeof index !== 'number' || !Number.isInteger(index)) throw new PayloadError(`invalid reference ${shortly(index)}`)
    if (index < 0) {
      if (!(index in SENTINEL_VALUES)) throw new PayloadError(`invalid reference ${index}`)
      continue
    }
    if (index >= values.length) throw new PayloadError(`reference ${index} points past the end of the payload`)
    if (visited[index]) continue
    visited[index] = 1
    if (depth > limits.maxDepth) throw new PayloadError(`nesting deeper than ${limits.maxDepth} levels`)

    const value: unknown = values[index]
    if (value === null || typeof value !== 'object') continue
    const next = depth + 1
    if (!Array.isArray(value)) {
      // Keys read one by one, pushed last first (devalue's order): no pair array per key, which made an
      // object of 90 000 keys the costliest payload to check.
      const keys = Object.keys(value)
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!
        if (key === '__proto__') throw new PayloadError('an object has a "__proto__" key')
        const child = (value as Record<string, unknown>)[key]
        if (IMPLICITLY_CALLED.has(key) && isReference(values, child)) throw implicitlyCalled(key)
        stack.push(child as number, next)
      }
      continue
    }
    const tag: unknown = value[0]
    if (typeof tag !== 'string') {
      if (tag === SPARSE) {
        const length = value[1]
        if (!Number.isInteger(length) || length < 0 || length > limits.maxArrayLength - sparseLength) {
          const what = sparseLength === 0 ? `sparse array length ${shortly(length)}` : `sparse arrays of total length ${sparseLength} + ${shortly(length)}`
          throw new PayloadError(`${what} is over the limit of ${limits.maxArrayLength}`)
        }
        sparseLength += length
        // [SPARSE, length, index, value, index, value…]: the values are at the odd positions from 3
        for (let i = lastOf(value, 1); i >= 3; i -= 2) stack.push(value[i], next)
      } else {
        for (let i = value.length - 1; i >= 0; i--) if (value[i] !== HOLE) stack.push(value[i], next)
      }
      continue
    }
    if (STRING_TAGS.has(tag)) {
      if (typeof value[1] !== 'string') throw new PayloadError(`${tag} without its text`)
    } else if (tag === 'RegExp') {
      if (!limits.allowRegExp) throw new PayloadError('RegExp values are refused (a pattern chosen by a client can make app code run for seconds); set limits.allowRegExp to accept them')
      if (typeof value[1] !== 'string' || (value[2] !== undefined && typeof value[2] !== 'string')) throw new PayloadError('malformed RegExp')
    } else if (tag === 'BigInt') {
      const digits = value[1]
      if (typeof digits !== 'string' || !/^-?\d+$/.test(digits)) throw new PayloadError('malformed BigInt')
      if (digits.length > limits.maxBigIntDigits) throw new PayloadError(`a BigInt has ${digits.length} digits, over the limit of ${limits.maxBigIntDigits}`)
    } else if (tag === 'null') {
      for (let i = 1; i < value.length; i += 2) {
        if (typeof value[i] !== 'string' || value[i] === '__proto__') throw new PayloadError('malformed null-prototype object')
        if (IMPLICITLY_CALLED.has(value[i]) && isReference(values, value[i + 1])) throw implicitlyCalled(value[i])
      }
      for (let i = lastOf(value, 0); i >= 2; i -= 2) stack.push(value[i], next)
    } else if (CHILD_TAGS.has(tag) || customTags.has(tag)) {
      if (tag === REFERENCE_TAG && ++references > limits.maxReferences) {
        throw new PayloadError(`more than ${limits.maxReferences} server functions in one payload (raise limits.maxReferences)`)
      }
      if (customTags.has(tag)) custom = true
      for (let i = value.length - 1; i >= 1; i--) stack.push(value[i], next)
    } else if (VIEW_TAG.test(tag)) {
      for (let i = 2; i < value.length; i++) if (!Number.isInteger(value[i]) || (value[i] as number) < 0) throw new PayloadError(`malformed ${tag}`)
      stack.push(value[1], next)
    } else {
      throw new PayloadError(`unknown type ${shortly(tag)}`)
    }
  }
  return custom
}

/** The last position of `list` that is even (parity 0) or odd (parity 1). */
function lastOf(list: unknown[], parity: 0 | 1): number {
  const last = list.length - 1
  return last % 2 === parity ? last : last - 1
}

function implicitlyCalled(key: string): PayloadError {
  return new PayloadError(`a server function was passed as a "${key}" property, which the language calls on its own`)
}

function isReference(values: unknown[], index: unknown): boolean {
  const entry = typeof index === 'number' ? values[index] : undefined
  return Array.isArray(entry) && entry[0] === REFERENCE_TAG
}

/**
 * A payload value for an error message. Never `JSON.stringify` the value itself: a hostile one may be
 * nested 10^5 levels deep (a stack overflow, so a 500) or a megabyte long (echoed back in full).
 */
function shortly(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}
