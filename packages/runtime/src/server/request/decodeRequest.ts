import { BOUND_FIELD, PAYLOAD_FIELD } from '../../shared/protocol.js'
import type { ResolvedHandlerOptions } from '../handlerOptions.js'
import { decodeValueNow, NO_FILES, resolveReferences } from './decodeValue.js'
import type { IncomingCall } from './incomingCall.js'
import { readBodyThen } from './readBody.js'
import { readForm } from './readForm.js'
import { PayloadError } from './validatePayload.js'

const FILE_PART = /^\$(\d{1,6})$/
const utf8 = new TextDecoder('utf-8', { fatal: true })

export interface DecodedCall {
  args: unknown[]
  /** Token of the called reference's server-bound values, when it has any. */
  token: string | undefined
}

/**
 * Reads and decodes a call's body (devalue text, or multipart with file parts and a token) into
 * arguments. Anything malformed, oversized or unknown throws a PayloadError (a 400) or a BodyError
 * (413, 408), before any app code runs.
 */
export function decodeCall(call: IncomingCall, contentType: string, o: ResolvedHandlerOptions): Promise<DecodedCall> {
  if (contentType.startsWith('application/json')) {
    return readBodyThen(call, o.bodyLimit, o.bodyTimeout, (body) => decodeArguments(decodeText(body), NO_FILES, o, undefined))
  }
  return readForm(call, contentType, { bodyLimit: o.bodyLimit, bodyTimeout: o.bodyTimeout, maxParts: o.limits.maxParts }, 'the multipart body').then((entries) => {
    let payload: string | undefined
    let token: string | undefined
    const files = new Map<number, File>()
    for (const [name, value] of entries) {
      const part = FILE_PART.exec(name)
      if (part && typeof value !== 'string') files.set(Number(part[1]), value)
      else if (name === PAYLOAD_FIELD && typeof value === 'string') payload = value
      else if (name === BOUND_FIELD && typeof value === 'string') token = value
      else throw new PayloadError(`unexpected multipart field ${JSON.stringify(name.slice(0, 40))}`)
    }
    if (payload === undefined) throw new PayloadError(`the multipart body has no ${PAYLOAD_FIELD} field`)
    return decodeArguments(payload, files, o, token)
  })
}

/** A body as UTF-8 text; anything else is a PayloadError. */
export function decodeText(body: Uint8Array): string {
  try {
    return utf8.decode(body)
  } catch {
    throw new PayloadError('the body is not valid UTF-8')
  }
}

/** The arguments, at once when they name no server function (most calls), else once those are resolved. */
function decodeArguments(text: string, files: ReadonlyMap<number, File>, o: ResolvedHandlerOptions, token: string | undefined): DecodedCall | Promise<DecodedCall> {
  const { value: args, references } = decodeValueNow(text, files, o)
  const decoded = () => {
    if (!Array.isArray(args)) throw new PayloadError('the arguments are not an array')
    if (args.length > o.limits.maxArguments) throw new PayloadError(`${args.length} arguments, over the limit of ${o.limits.maxArguments}`)
    return { args, token }
  }
  return references.length === 0 ? decoded() : resolveReferences(references, o).then(decoded)
}
