import { DevalueError } from 'devalue'
import { stringifyDevalue, type SymbolKeys } from '../../codec/stringifyDevalue.js'
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
 * format. Server references become `{ id, token }`: their server-bound values are sealed into the
 * token. devalue's reducers are synchronous, so a value that holds such references is written twice:
 * once to find them (while writing, not in a walk of its own), then, once they are sealed, for good.
 * Most answers hold none and are written once, without waiting. Files and Blobs go to `files` as
 * multipart parts; where `files` is null (in a token, a streamed line or page data) they are refused.
 * In development an object with symbol keys is refused (the error says where); in production it is
 * written without them, as React and JSON.stringify do (see SymbolKeys).
 */
export function encodeServerValue(
  value: unknown,
  ring: () => Promise<KeyRing>,
  files: Blob[] | null,
  rootName: string,
  describePath: ((path: string) => string) | undefined,
  dev: boolean,
): string | Promise<string> {
  const describe = describePath ?? ((path: string) => rootName + path)
  const symbolKeys: SymbolKeys = dev ? 'refuse' : 'drop'
  const tokens = new Map<ServerReference, string>()
  const unsealed = new Set<ServerReference>()
  const text = stringifyServerValue(value, tokens, unsealed, files, rootName, describe, symbolKeys)
  if (unsealed.size === 0) return text
  return (async () => {
    for (const reference of unsealed) {
      const plaintext = await encodeServerValue(reference.$$bound, ring, null, `bound values of ${rootName}`, undefined, dev)
      tokens.set(reference, await sealBoundValues(await ring(), reference.$$id, plaintext))
    }
    if (files) files.length = 0
    const found = unsealed.size
    const text = stringifyServerValue(value, tokens, unsealed, files, rootName, describe, symbolKeys)
    if (unsealed.size > found) {
      throw new Error(`A server function bound in ${rootName} changed while it was written: a getter binds it anew on each read, to other values each time. Return the same function each time (bind it once).`)
    }
    return text
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

function stringifyServerValue(
  value: unknown,
  tokens: Map<ServerReference, string>,
  unsealed: Set<ServerReference>,
  files: Blob[] | null,
  rootName: string,
  describePath: (path: string) => string,
  symbolKeys: SymbolKeys,
): string {
  // The writer may hand a value to devalue and start again: each file keeps its first part number.
  const parts = new Map<Blob, number>()
  const part = (blob: Blob) => {
    let index = parts.get(blob)
    if (index === undefined) parts.set(blob, (index = addPart(files, blob, rootName)))
    return index
  }
  try {
    return stringifyDevalue(value, {
      [FILE_TAG]: (v: unknown) => v instanceof File && [part(v), v.lastModified],
      [BLOB_TAG]: (v: unknown) => v instanceof Blob && !(v instanceof File) && [part(v)],
      [FORM_DATA_TAG]: (v: unknown) => v instanceof FormData && [...v],
      [REFERENCE_TAG]: (v: unknown) => {
        if (!isServerReference(v)) return false
        if (v.$$remote) return { id: v.$$id, token: v.$$remote.token, bound: v.$$remote.bound } satisfies ReferencePayload
        // A getter may bind anew on each read: the second writing meets a function the first never
        // saw, with the same values, whose token is the one sealed for its twin.
        const token = tokens.get(v) ?? (tokens.size > 0 ? tokenOfTwin(tokens, v) : undefined)
        if (token === undefined && v.$$bound?.length) unsealed.add(v)
        return { id: v.$$id, token } satisfies ReferencePayload
      },
    }, symbolKeys)
  } catch (error) {
    if (error instanceof DevalueError) {
      throw new UnsendableValueError(`${error.message.replace(/^Cannot stringify/, 'Cannot send')} at ${describePath(error.path)}: server functions return data (plain objects, arrays, Date, Map, Set, BigInt, typed arrays, URL, FormData, File, Blob) and server functions.`)
    }
    throw error
  }
}

/** The token sealed for a reference to the same function with the same bound values, if any. */
function tokenOfTwin(tokens: Map<ServerReference, string>, reference: ServerReference): string | undefined {
  const bound = reference.$$bound
  if (!bound?.length) return undefined
  for (const [sealed, token] of tokens) {
    if (sealed.$$id === reference.$$id && sealed.$$bound!.length === bound.length && sealed.$$bound!.every((item, i) => Object.is(item, bound[i]))) return token
  }
  return undefined
}

function addPart(files: Blob[] | null, blob: Blob, rootName: string): number {
  if (!files) throw new UnsendableValueError(`Cannot send a File or Blob in ${rootName}: bound values travel inside an encrypted token and streamed values one line at a time. Pass or return files directly instead.`)
  return files.push(blob) - 1
}
