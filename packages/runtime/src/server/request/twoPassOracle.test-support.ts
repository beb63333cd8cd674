import { unflatten } from 'devalue'
import { expect } from 'vitest'
import { resolveHandlerOptions } from '../handlerOptions.js'
import { decodeValueNow, NO_FILES } from './decodeValue.js'
import { unflattenCommon, UNSURE } from './unflattenCommon.js'
import { PayloadError, validatePayload, type DecodeLimits } from './validatePayload.js'

// The decoder as shipped (one pass, else two) against the two passes alone (validatePayload, then
// devalue's unflatten), compared as graphs: the same prototypes, own keys in order, holes, Map and Set
// order, and the same sharing (a bijection between the objects of both), or the same refusal, word for word.

const tags = new Set(['File', 'Blob', 'FormData', 'ServerReference'])

export type Outcome = { value: unknown } | { error: string }

export function shipped(text: string, limits: DecodeLimits): Outcome {
  const o = resolveHandlerOptions({ resolve: () => undefined, limits })
  try {
    return { value: decodeValueNow(text, NO_FILES, o).value }
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error // a 500
    return { error: error.message }
  }
}

/**
 * decodeValueNow before the one pass: validatePayload, then devalue's unflatten. `custom` for a payload
 * with use-server's own types (revived with files and server functions, never by the one pass).
 */
export function twoPasses(text: string, limits: DecodeLimits): Outcome | { custom: true } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { error: 'the payload is not JSON' }
  }
  return twoPassesOfParsed(parsed, limits)
}

/** The same, from the payload as `JSON.parse` gave it. */
export function twoPassesOfParsed(parsed: unknown, limits: DecodeLimits): Outcome | { custom: true } {
  try {
    if (validatePayload(parsed, tags, limits)) return { custom: true }
  } catch (error) {
    return { error: (error as Error).message }
  }
  try {
    return { value: unflatten(parsed as unknown[]) }
  } catch (error) {
    return { error: `the payload could not be decoded: ${(error as Error).message}` }
  }
}

/** Whether `a` and `b` are the same graph: one object of `a` stands for exactly one of `b`, and the reverse. */
function sameGraph(a: unknown, b: unknown, ab = new Map<object, object>(), ba = new Map<object, object>(), path = '$'): void {
  if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') {
    if (!Object.is(a, b)) throw new Error(`${path}: ${String(a)} ≠ ${String(b)}`)
    return
  }
  if (ab.has(a) || ba.has(b)) {
    if (ab.get(a) !== b || ba.get(b) !== a) throw new Error(`${path}: shared differently`)
    return
  }
  ab.set(a, b)
  ba.set(b, a)
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) throw new Error(`${path}: another prototype`)
  const keysA = Reflect.ownKeys(a)
  const keysB = Reflect.ownKeys(b)
  if (keysA.join('\u0000') !== keysB.join('\u0000')) throw new Error(`${path}: keys ${keysA.map(String)} ≠ ${keysB.map(String)}`)
  for (const key of keysA) {
    const da = Object.getOwnPropertyDescriptor(a, key)!
    const db = Object.getOwnPropertyDescriptor(b, key)!
    if (da.enumerable !== db.enumerable || da.writable !== db.writable || 'get' in da || 'get' in db) throw new Error(`${path}.${String(key)}: another property`)
    sameGraph(da.value, db.value, ab, ba, `${path}.${String(key)}`)
  }
  if (a instanceof Date) sameGraph(a.getTime(), (b as Date).getTime(), ab, ba, `${path}<time>`)
  if (a instanceof Map || a instanceof Set) {
    const entriesA = [...(a as Map<unknown, unknown>).entries()]
    const entriesB = [...(b as Map<unknown, unknown>).entries()]
    if (entriesA.length !== entriesB.length) throw new Error(`${path}: ${entriesA.length} ≠ ${entriesB.length} entries`)
    entriesA.forEach(([k, v], i) => {
      sameGraph(k, entriesB[i]![0], ab, ba, `${path}<key ${i}>`)
      sameGraph(v, entriesB[i]![1], ab, ba, `${path}<value ${i}>`)
    })
  }
}

export function expectSame(actual: Outcome, expected: Outcome, text: string) {
  if ('error' in expected || 'error' in actual) {
    expect({ text, ...actual }).toEqual({ text, ...expected })
    return
  }
  try {
    sameGraph(actual.value, expected.value)
  } catch (error) {
    throw new Error(`${text}: ${(error as Error).message}`)
  }
}

/** Decodes `text` both ways and expects the same graph, or the same refusal (a payload of custom types: no one pass). */
export function expectDecodedAlike(text: string, limits: DecodeLimits): Outcome | { custom: true } {
  const expected = twoPasses(text, limits)
  if ('custom' in expected) expect(unflattenCommon(JSON.parse(text), limits)).toBe(UNSURE)
  else expectSame(shipped(text, limits), expected, text)
  return expected
}
