import { HOLE, NAN, NEGATIVE_INFINITY, NEGATIVE_ZERO, POSITIVE_INFINITY, SPARSE, UNDEFINED } from '../../codec/devalueFormat.js'
import { noInheritedIndex } from '../../codec/noInheritedIndex.js'
import type { DecodeLimits } from './validatePayload.js'

/** What `unflattenCommon` answers when the payload is not one it decides alone. */
export const UNSURE: unique symbol = Symbol('unsure')

/**
 * devalue's flat array → its value in one pass that checks while it builds, for what most payloads
 * are made of: plain objects, arrays (holes included), primitives, Date, Map and Set. `UNSURE` for anything
 * else (another type, sparse arrays, a `__proto__` key) and for anything wrong (a bad index, nesting
 * over the limit, too many values): the caller then runs `validatePayload` and devalue's `unflatten`,
 * which decide, and word, every refusal, so a message never depends on which pass met it first.
 *
 * It is stricter than `validatePayload`, never looser: depth is checked at every visit, not only
 * the first, so the recursion here is never deeper than `maxDepth`. What it accepts, the two passes
 * accept and build alike (tests compare them on hostile and generated payloads). No custom type
 * passes here, so no reviver, file or server function is ever involved.
 */
export function unflattenCommon(parsed: unknown, limits: DecodeLimits): unknown {
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > limits.maxEntries) return UNSURE
  const values: unknown[] = parsed
  if (!onlyCommonTypes(values)) return UNSURE
  const count = values.length
  const maxDepth = limits.maxDepth
  // Built objects by index; primitives are not stored (returned as they are, identity does not matter).
  const built: unknown[] = new Array(count)

  function hydrate(index: unknown, depth: number): unknown {
    if (typeof index !== 'number') throw UNSURE
    if (index < 0) return sentinel(index)
    if ((index | 0) !== index || index >= count || depth > maxDepth) throw UNSURE
    const value: unknown = values[index]
    if (value === null || typeof value !== 'object') return value
    const done = built[index]
    if (done !== undefined) return done
    const next = depth + 1
    if (!Array.isArray(value)) {
      const object: Record<string, unknown> = {}
      built[index] = object
      // `for…in` lists the entry's own keys (JSON.parse made it, on Object.prototype, which has no
      // enumerable key: checked before and after) without an array of them, and V8 reads
      // `value[key]` by the entry's layout instead of looking the key up.
      for (const key in value) {
        if (key === '__proto__') throw UNSURE
        object[key] = hydrate((value as Record<string, unknown>)[key], next)
      }
      return object
    }
    const tag: unknown = value[0]
    if (typeof tag !== 'string') {
      const length = value.length
      const array: unknown[] = new Array(length)
      built[index] = array
      for (let i = 0; i < length; i++) {
        const item: unknown = value[i]
        // A hole stays one, as unflatten leaves it (the array was made with its length).
        if (item !== HOLE) array[i] = hydrate(item, next)
      }
      return array
    }
    switch (tag) {
      case 'Date': {
        if (typeof value[1] !== 'string') throw UNSURE
        return (built[index] = new Date(value[1]))
      }
      case 'Set': {
        const set = new Set()
        built[index] = set
        for (let i = 1; i < value.length; i++) set.add(hydrate(value[i], next))
        return set
      }
      case 'Map': {
        const map = new Map()
        built[index] = map
        // An odd entry count leaves a key without its value: hydrate(undefined) says UNSURE.
        for (let i = 1; i < value.length; i += 2) map.set(hydrate(value[i], next), hydrate(value[i + 1], next))
        return map
      }
    }
    throw UNSURE
  }

  if (!noEnumerableInherited()) return UNSURE
  try {
    const value = hydrate(0, 1)
    // An assignment above may have run a setter of the app's on Object.prototype (as devalue's own would).
    // An inherited index (below) only makes the value built here wrong: checked once, when it is done.
    return noEnumerableInherited() && noInheritedIndex() ? value : UNSURE
  } catch {
    // UNSURE, a stack too small even for `maxDepth` levels, or an assignment the app's prototypes refuse
    // (a key of a frozen Object.prototype, a setter that throws): the two passes decide, and word it.
    return UNSURE
  }
}

/**
 * Whether every entry is of a type this pass builds, in one flat loop before anything is built: a
 * payload of another type (found at its end, say) goes to the two passes at once, rather than being
 * built up to there first. Only refusals are then left to cost both.
 */
function onlyCommonTypes(values: unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (!Array.isArray(value)) continue
    const tag: unknown = value[0]
    if (typeof tag === 'string' ? tag !== 'Date' && tag !== 'Map' && tag !== 'Set' : tag === SPARSE) return false
  }
  return true
}

/**
 * Whether `for…in` over an object JSON.parse made lists only its own keys. (And `noInheritedIndex`:
 * whether the arrays built here, with their length and holes until filled, read and assign only their
 * own entries; where not, devalue's walk reads what the prototypes hold, and is the answer.)
 */
function noEnumerableInherited(): boolean {
  return Object.keys(Object.prototype).length === 0
}

function sentinel(index: number): unknown {
  switch (index) {
    case UNDEFINED:
      return undefined
    case NAN:
      return NaN
    case POSITIVE_INFINITY:
      return Infinity
    case NEGATIVE_INFINITY:
      return -Infinity
    case NEGATIVE_ZERO:
      return -0
  }
  throw UNSURE
}
