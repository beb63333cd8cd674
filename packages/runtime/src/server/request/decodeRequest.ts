import { unflatten } from 'devalue'
import { BLOB_TAG, FILE_TAG, FORM_DATA_TAG, REFERENCE_TAG } from '../../codec/devalueFormat.js'
import { BOUND_FIELD, filePartName, FUNCTION_ID_PATTERN, PAYLOAD_FIELD, type ReferencePayload } from '../../shared/protocol.js'
import { parseForm } from './parseForm.js'
import { PayloadError, validatePayload, type DecodeLimits } from './validatePayload.js'

const CUSTOM_TAGS = new Set([FILE_TAG, BLOB_TAG, FORM_DATA_TAG, REFERENCE_TAG])
const FILE_PART = /^\$(\d{1,6})$/
const utf8 = new TextDecoder('utf-8', { fatal: true })

export interface DecodedCall {
  args: unknown[]
  /** Token of the called reference's server-bound values, when it has any. */
  token: string | undefined
}

/** Turns a client reference inside the arguments into a function the server can call. */
export type ReviveReference = (payload: Required<Pick<ReferencePayload, 'id'>> & ReferencePayload) => Function

/**
 * Decodes a call's body (devalue text, or multipart with file parts) into arguments. Anything
 * malformed, oversized or unknown throws a PayloadError (a 400), before any app code runs.
 */
export function decodeRequest(body: Uint8Array, contentType: string, limits: DecodeLimits, reviveReference: ReviveReference): DecodedCall | Promise<DecodedCall> {
  if (contentType.startsWith('application/json')) return { args: decodeArguments(decodeText(body), limits, NO_FILES, reviveReference), token: undefined }
  return decodeMultipart(body, contentType, limits, reviveReference)
}

async function decodeMultipart(body: Uint8Array, contentType: string, limits: DecodeLimits, reviveReference: ReviveReference): Promise<DecodedCall> {
  const form = await parseForm(body, contentType, limits.maxParts, 'the multipart body')
  let payload: string | undefined
  let token: string | undefined
  const files = new Map<number, File>()
  for (const [name, value] of form) {
    const part = FILE_PART.exec(name)
    if (part && typeof value !== 'string') files.set(Number(part[1]), value)
    else if (name === PAYLOAD_FIELD && typeof value === 'string') payload = value
    else if (name === BOUND_FIELD && typeof value === 'string') token = value
    else throw new PayloadError(`unexpected multipart field ${JSON.stringify(name.slice(0, 40))}`)
  }
  if (payload === undefined) throw new PayloadError(`the multipart body has no ${PAYLOAD_FIELD} field`)
  return { args: decodeArguments(payload, limits, files, reviveReference), token }
}

function decodeText(body: Uint8Array): string {
  try {
    return utf8.decode(body)
  } catch {
    throw new PayloadError('the body is not valid UTF-8')
  }
}

function decodeArguments(text: string, limits: DecodeLimits, files: Map<number, File>, reviveReference: ReviveReference): unknown[] {
  const args = decodeServerValue(text, limits, files, reviveReference)
  if (!Array.isArray(args)) throw new PayloadError('the arguments are not an array')
  return args
}

/** devalue text → value, with use-server's custom types. Also used for opened bound tokens. */
export function decodeServerValue(text: string, limits: DecodeLimits, files: Map<number, File>, reviveReference: ReviveReference): unknown {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new PayloadError('the payload is not JSON')
  }
  validatePayload(parsed, CUSTOM_TAGS, limits)
  try {
    return unflatten(parsed as number | unknown[], revivers(files, reviveReference))
  } catch (error) {
    if (error instanceof PayloadError) throw error
    throw new PayloadError(`the payload could not be decoded: ${(error as Error).message}`)
  }
}

// A call without files (most of them) reuses its handler's revivers instead of building new ones.
const NO_FILES = new Map<number, File>()
const fileless = new WeakMap<ReviveReference, Record<string, (value: unknown) => unknown>>()

function revivers(files: Map<number, File>, reviveReference: ReviveReference): Record<string, (value: unknown) => unknown> {
  const cached = files.size === 0 ? fileless.get(reviveReference) : undefined
  if (cached) return cached
  const part = (index: unknown) => {
    const file = typeof index === 'number' ? files.get(index) : undefined
    if (!file) throw new PayloadError(`file part ${filePartName(Number(index))} is missing`)
    return file
  }
  const made = {
    [FILE_TAG]: (value: unknown) => {
      if (!Array.isArray(value) || typeof value[1] !== 'number') throw new PayloadError('malformed File')
      const file = part(value[0])
      return new File([file], file.name, { type: file.type, lastModified: value[1] })
    },
    [BLOB_TAG]: (value: unknown) => {
      if (!Array.isArray(value)) throw new PayloadError('malformed Blob')
      const file = part(value[0])
      return new Blob([file], { type: file.type })
    },
    [FORM_DATA_TAG]: (entries: unknown) => {
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
    [REFERENCE_TAG]: (value: unknown) => {
      const { id, token, bound } = (value ?? {}) as ReferencePayload
      if (typeof id !== 'string' || !FUNCTION_ID_PATTERN.test(id) || (token !== undefined && typeof token !== 'string') || (bound !== undefined && !Array.isArray(bound))) {
        throw new PayloadError('malformed server function reference')
      }
      return reviveReference({ id, token, bound })
    },
  }
  if (files.size === 0) fileless.set(reviveReference, made)
  return made
}
