import { DevalueError, stringify } from 'devalue'
import { BLOB_TAG, FILE_TAG, FORM_DATA_TAG, REFERENCE_TAG } from '../../codec/devalueFormat.js'
import type { Envelope, ReferencePayload } from '../../shared/protocol.js'
import { sealBoundValues } from '../security/boundToken.js'
import type { KeyRing } from '../security/keys.js'
import { isServerReference, type ServerReference } from '../references/serverReference.js'

/** A value the server cannot send; the path says where it was found. */
export class UnsendableValueError extends TypeError {
  override name = 'UnsendableValueError'
}

/**
 * Serializes what the server sends (a response envelope, or bound values into a token) in devalue's
 * format. Server references become `{ id, token }`: their server-bound values are sealed first,
 * since devalue's reducers are synchronous (`ring` is called, and keys loaded, only then). Files
 * and Blobs go to `files` as multipart parts; where `files` is null (in a token, a streamed line or
 * page data) they are refused.
 */
export function encodeServerValue(
  value: unknown,
  ring: () => Promise<KeyRing>,
  files: Blob[] | null,
  rootName: string,
  describePath: (path: string) => string = (path) => rootName + path,
): string | Promise<string> {
  const bound = boundReferencesIn(value)
  // Most answers hold no bound reference: then nothing is sealed and nothing needs to wait.
  if (bound.size === 0) return stringifyServerValue(value, new Map(), files, rootName, describePath)
  return (async () => {
    const tokens = new Map<ServerReference, string>()
    for (const reference of bound) {
      const plaintext = await encodeServerValue(reference.$$bound, ring, null, `bound values of ${rootName}`)
      tokens.set(reference, await sealBoundValues(await ring(), reference.$$id, plaintext))
    }
    return stringifyServerValue(value, tokens, files, rootName, describePath)
  })()
}

/**
 * devalue's text for `{ value }` alone when the value is null, a boolean, a string or a finite number
 * other than -0: the commonest answer, spelled directly because devalue's general walk costs more
 * than the rest of a trivial call. Undefined for anything else (the caller uses encodeServerValue).
 */
export function primitiveEnvelopeText(envelope: Envelope): string | undefined {
  if (envelope.error || envelope.revalidated || envelope.redirect || envelope.depends || envelope.refreshed) return undefined
  const { value } = envelope
  const primitive = value === null || typeof value === 'boolean' || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0))
  return primitive ? `[{"value":1},${JSON.stringify(value)}]` : undefined
}

function stringifyServerValue(value: unknown, tokens: Map<ServerReference, string>, files: Blob[] | null, rootName: string, describePath: (path: string) => string): string {
  try {
    return stringify(value, {
      [FILE_TAG]: (v: unknown) => v instanceof File && [addPart(files, v, rootName), v.lastModified],
      [BLOB_TAG]: (v: unknown) => v instanceof Blob && !(v instanceof File) && [addPart(files, v, rootName)],
      [FORM_DATA_TAG]: (v: unknown) => v instanceof FormData && [...v],
      [REFERENCE_TAG]: (v: unknown) => {
        if (!isServerReference(v)) return false
        const payload: ReferencePayload = v.$$remote
          ? { id: v.$$id, token: v.$$remote.token, bound: v.$$remote.bound }
          : { id: v.$$id, token: tokens.get(v) }
        return payload
      },
    })
  } catch (error) {
    if (error instanceof DevalueError) {
      throw new UnsendableValueError(`${error.message.replace(/^Cannot stringify/, 'Cannot send')} at ${describePath(error.path)}: server functions return data (plain objects, arrays, Date, Map, Set, BigInt, typed arrays, URL, FormData, File, Blob) and server functions.`)
    }
    throw error
  }
}

function addPart(files: Blob[] | null, blob: Blob, rootName: string): number {
  if (!files) throw new UnsendableValueError(`Cannot send a File or Blob in ${rootName}: bound values travel inside an encrypted token and streamed values one line at a time. Pass or return files directly instead.`)
  return files.push(blob) - 1
}

/**
 * Every reference with server-bound values reachable through plain data. Children are pushed one by
 * one, never spread (`push(...items)` overflows the stack past ~100k items), and arrays by their own
 * values (`Object.values`), so the holes of a sparse array a client sent (length up to 10^6) cost nothing.
 */
function boundReferencesIn(root: unknown): Set<ServerReference> {
  const found = new Set<ServerReference>()
  if (root === null || (typeof root !== 'object' && typeof root !== 'function')) return found
  const seen = new Set<unknown>()
  const stack: unknown[] = [root]
  const pushAll = (items: Iterable<unknown>) => {
    for (const item of items) stack.push(item)
  }
  while (stack.length > 0) {
    const value = stack.pop()
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) continue
    seen.add(value)
    if (typeof value === 'function') {
      if (!isServerReference(value)) continue
      if (value.$$remote) pushAll(Object.values(value.$$remote.bound))
      else if (value.$$bound?.length) found.add(value)
    } else if (value instanceof Set) {
      pushAll(value)
    } else if (value instanceof Map) {
      for (const [k, v] of value) stack.push(k, v)
    } else if (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
      pushAll(Object.values(value))
    }
  }
  return found
}
