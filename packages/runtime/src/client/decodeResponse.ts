import { readDevalue, type Revivers } from '../codec/readDevalue.js'
import { ServerFunctionError } from '../shared/ServerFunctionError.js'
import type { AnswerRevivers } from './revivers.js'
import { ERROR_HEADER, PAYLOAD_FIELD, type Envelope } from '../shared/protocol.js'

/**
 * Reads the handler's answer; anything that is not one becomes a typed ServerFunctionError. An
 * error the server sent stays in the envelope (`applyEffects` throws it, after the effects).
 */
export async function decodeResponse(response: Response, revivers: AnswerRevivers): Promise<Envelope> {
  const code = response.headers.get(ERROR_HEADER)
  const type = response.headers.get('content-type') ?? ''
  if (!response.ok && !code) {
    throw new ServerFunctionError(`Not a server function's answer: ${response.status} ${response.statusText} (a proxy in the way?)`, { code: 'BAD_RESPONSE', status: response.status })
  }
  let text: string
  let files: FormData | undefined
  try {
    if (type.startsWith('multipart/form-data')) {
      files = await response.formData()
      text = String(files.get(PAYLOAD_FIELD))
    } else {
      text = await response.text()
    }
  } catch (cause) {
    throw unreadable(response.status, cause)
  }
  return readEnvelope(text, revivers(files), response.status)
}

/** One envelope from its devalue text (and the multipart parts its files refer to). */
export function readEnvelope(text: string, revivers: Revivers, status: number): Envelope {
  try {
    return readDevalue(text, revivers) as Envelope
  } catch (cause) {
    throw unreadable(status, cause)
  }
}

function unreadable(status: number, cause: unknown) {
  return new ServerFunctionError(`The server's answer could not be read (${status})`, { code: 'BAD_RESPONSE', status, cause })
}
