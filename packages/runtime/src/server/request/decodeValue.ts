import { unflatten } from 'devalue'
import { BLOB_TAG, FILE_TAG, FORM_DATA_TAG, REFERENCE_TAG } from '../../codec/devalueFormat.js'
import { FUNCTION_ID_PATTERN, filePartName, type ReferencePayload } from '../../shared/protocol.js'
import type { ResolvedHandlerOptions } from '../handlerOptions.js'
import type { ServerFunctionEntry } from '../references/registry.js'
import { reviveReference, type RevivedReference } from '../references/revivedReference.js'
import { openBoundValues } from '../security/boundToken.js'
import { unflattenCommon, UNSURE } from './unflattenCommon.js'
import { PayloadError, validatePayload, type DecodeLimits } from './validatePayload.js'

const CUSTOM_TAGS = new Set([FILE_TAG, BLOB_TAG, FORM_DATA_TAG, REFERENCE_TAG])
/** Tokens hold server-made values, which may hold bound functions, which have tokens… up to here. */
const MAX_TOKEN_NESTING = 8
export const NO_FILES: ReadonlyMap<number, File> = new Map()

/**
 * The tokens opened while decoding one request, by token, then function (the token string itself is
 * the key: V8 keeps its hash, where a joined key would be hashed anew each time). Each is opened and
 * decoded once, however often the payload, or the tokens inside it, name it. Decoded again for every
 * mention, 100 references to a token that holds 100 references to the previous one (a function that
 * returns a closure over its argument seals whatever it is given) cost 100^depth decodings: a 34 KB
 * request kept the server busy for 42 s.
 */
type OpenedTokens = Map<string, Map<string, Promise<unknown>>>

/**
 * devalue text from a request → a value that is final: its shape checked before anything is built,
 * its files each used once, and every server function it names looked up and its token opened now,
 * so that an unknown id or a bad token is a PayloadError (a 400) before any app code runs.
 */
export async function decodeValue(text: string, files: ReadonlyMap<number, File>, o: ResolvedHandlerOptions, nesting = 0, opened: OpenedTokens = new Map()): Promise<unknown> {
  const decoded = decodeValueNow(text, files, o, nesting)
  if (decoded.references.length > 0) await resolveReferences(decoded.references, o, nesting, opened)
  return decoded.value
}

/**
 * The synchronous part of `decodeValue`: the value, and the server functions it names, which
 * `resolveReferences` must resolve before the value is used (most payloads name none, and then the
 * value is final at once).
 */
export function decodeValueNow(text: string, files: ReadonlyMap<number, File>, o: ResolvedHandlerOptions, nesting = 0): { value: unknown; references: RevivedReference[] } {
  const limits = nesting === 0 ? o.limits : serverMadeLimits(o.limits)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new PayloadError('the payload is not JSON')
  }
  // Most payloads are checked and built in one pass; the rest, and every refusal, take the two below.
  const common = unflattenCommon(parsed, limits)
  if (common !== UNSURE) return { value: common, references: [] }
  const custom = validatePayload(parsed, CUSTOM_TAGS, limits)
  const references: RevivedReference[] = []
  let value: unknown
  try {
    value = custom ? unflatten(parsed as number | unknown[], revivers(files, references, limits)) : unflatten(parsed as number | unknown[])
  } catch (error) {
    if (error instanceof PayloadError) throw error
    throw new PayloadError(`the payload could not be decoded: ${(error as Error).message}`)
  }
  return { value, references }
}

/** Looks up every server function a payload named and opens its token (see `decodeValueNow`). */
export async function resolveReferences(references: readonly RevivedReference[], o: ResolvedHandlerOptions, nesting = 0, opened: OpenedTokens = new Map()): Promise<void> {
  for (const reference of references) {
    const entry = await o.resolve(reference.id)
    if (!entry) throw new PayloadError(`a server function passed as an argument does not exist on this server (id ${reference.id}; the page may be older than the deployment)`)
    try {
      reference.resolve(entry, await openBound(o, reference.id, entry, reference.token, nesting + 1, opened))
    } catch (error) {
      if (error instanceof PayloadError) throw new PayloadError(`a server function passed as an argument was refused: ${error.message}`)
      throw error
    }
  }
}

/** The server-bound values of a call to `entry`: its token opened and decoded, checked against what it expects. */
export async function openBound(o: ResolvedHandlerOptions, id: string, entry: ServerFunctionEntry, token: string | undefined, nesting = 0, opened: OpenedTokens = new Map()): Promise<unknown[]> {
  const expected = entry.boundCount ?? 0
  if (token === undefined) {
    if (expected > 0) throw new PayloadError('this server function needs the values bound to it; call it through the reference the server gave you')
    return []
  }
  if (nesting > MAX_TOKEN_NESTING) throw new PayloadError(`server functions are bound inside each other more than ${MAX_TOKEN_NESTING} levels deep`)
  let byFunction = opened.get(token)
  if (!byFunction) opened.set(token, (byFunction = new Map()))
  let decoding = byFunction.get(id)
  if (!decoding) byFunction.set(id, (decoding = openToken(o, id, token, nesting, opened)))
  const values = await decoding
  if (!Array.isArray(values) || values.length < expected) throw new PayloadError('the bound-values token does not hold the values this function needs')
  return values
}

async function openToken(o: ResolvedHandlerOptions, id: string, token: string, nesting: number, opened: OpenedTokens): Promise<unknown> {
  const plain = await openBoundValues(await o.ring(), id, token)
  if (plain === undefined) throw new PayloadError('the bound-values token is invalid (tampered, truncated, made for another function, or sealed with a key this server does not have)')
  return decodeValue(plain, NO_FILES, o, Math.max(nesting, 1), opened)
}

/** A token was sealed by this server, so what the server itself may bind (a RegExp) is accepted. */
function serverMadeLimits(limits: DecodeLimits): DecodeLimits {
  return limits.allowRegExp ? limits : { ...limits, allowRegExp: true }
}

/** Revivers for use-server's types. They never coerce what a client sent: no `valueOf` runs. */
function revivers(files: ReadonlyMap<number, File>, references: RevivedReference[], limits: DecodeLimits): Record<string, (value: unknown) => unknown> {
  const used = new Set<number>()
  const part = (index: unknown): File => {
    if (typeof index !== 'number' || !Number.isInteger(index)) throw new PayloadError('a file refers to a part that is not a part number')
    const file = files.get(index)
    if (!file) throw new PayloadError(`file part ${filePartName(index)} is missing`)
    // A client sends each file once; one part revived many times would multiply its size in memory and answers.
    if (used.has(index)) throw new PayloadError(`file part ${filePartName(index)} is used more than once`)
    used.add(index)
    return file
  }
  return {
    [FILE_TAG]: (value) => {
      if (!Array.isArray(value) || typeof value[1] !== 'number') throw new PayloadError('malformed File')
      const file = part(value[0])
      return new File([file], file.name, { type: file.type, lastModified: value[1] })
    },
    [BLOB_TAG]: (value) => {
      if (!Array.isArray(value)) throw new PayloadError('malformed Blob')
      const file = part(value[0])
      return new Blob([file], { type: file.type })
    },
    [FORM_DATA_TAG]: (entries) => {
      if (!Array.isArray(entries)) throw new PayloadError('malformed FormData')
      const form = new FormData()
      for (const entry of entries) {
        if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !(typeof entry[1] === 'string' || entry[1] instanceof Blob)) {
          throw new PayloadError('malformed FormData entry')
        }
        form.append(entry[0], entry[1])
      }
      return form
    },
    [REFERENCE_TAG]: (value) => {
      const { id, token, bound } = (value !== null && typeof value === 'object' ? value : {}) as ReferencePayload
      if (typeof id !== 'string' || !FUNCTION_ID_PATTERN.test(id) || (token !== undefined && typeof token !== 'string') || (bound !== undefined && !Array.isArray(bound))) {
        throw new PayloadError('malformed server function reference')
      }
      if (bound && bound.length > limits.maxArguments) throw new PayloadError(`a server function passed as an argument has ${bound.length} bound values, over the limit of ${limits.maxArguments}`)
      // Bound values are complete before their reference: a hole is a slot devalue fills later, with the
      // reference itself (its values hold it), which would call itself forever from an app that calls
      // the function it was given. A client's `bind` never leaves holes.
      if (bound && !isDense(bound)) throw new PayloadError('a server function passed as an argument is bound to itself (or its bound values have holes)')
      const reference = reviveReference({ id, token, bound })
      references.push(reference)
      return reference.fn
    },
  }
}

function isDense(array: unknown[]): boolean {
  for (let i = 0; i < array.length; i++) if (!(i in array)) return false
  return true
}
