import { stringify } from 'devalue'
import { ERROR_HEADER, filePartName, JSON_CONTENT_TYPE, PAYLOAD_FIELD, type Envelope } from '../../shared/protocol.js'
import { setCookiesOf, type RequestContext } from '../context/requestContext.js'
import type { ResolvedHandlerOptions } from '../handlerOptions.js'
import type { BodyError } from '../request/bodyError.js'
import type { Answer } from './answer.js'
import { encodeServerValue, primitiveEnvelopeText, UnsendableValueError } from './encodeValue.js'

/** Headers of every answer: never cached, never sniffed, plus the call's cookies. */
export function answerHeaders(setCookies: string[], errorCode?: string): Answer['headers'] {
  const headers: Answer['headers'] = [
    ['cache-control', 'no-store'],
    ['x-content-type-options', 'nosniff'],
  ]
  if (errorCode) headers.push([ERROR_HEADER, errorCode])
  for (const cookie of setCookies) headers.push(['set-cookie', cookie])
  return headers
}

/** An answer carrying an envelope: devalue text, or multipart when files ride along. */
export function envelopeAnswer(body: string | FormData, status: number, setCookies: string[], errorCode?: string): Answer {
  const headers = answerHeaders(setCookies, errorCode)
  if (typeof body === 'string') headers.push(['content-type', JSON_CONTENT_TYPE])
  return { status, headers, body }
}

/** A body refused for its size or its pace: 413, 408, or 400 when the client went away. */
export function bodyErrorAnswer(error: BodyError): Answer {
  return errorAnswer(error.status, error.status === 413 ? 'PAYLOAD_TOO_LARGE' : error.status === 408 ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST', `Request refused: ${error.message}.`)
}

/** An error answered before any app code ran (method, origin, size, malformed input, unknown id). */
export function errorAnswer(status: number, code: string, message: string, extraHeaders: Array<[string, string]> = []): Answer {
  const envelope: Envelope = { error: { message, code } }
  const answer = envelopeAnswer(stringify(envelope), status, [], code)
  answer.headers.push(...extraHeaders)
  return answer
}

/**
 * The answer for an envelope, with the context's cookies: devalue text, or multipart when files ride
 * along. A value that cannot be sent becomes the error `failed` makes of it (and is logged). At once
 * when nothing needs sealing (most answers), else once the tokens are sealed.
 */
export function answerEnvelope(
  o: ResolvedHandlerOptions,
  envelope: Envelope,
  status: number,
  context: RequestContext,
  failed: (error: unknown) => { envelope: Envelope; status: number },
): Answer | Promise<Answer> {
  const files: Blob[] = []
  const answer = (text: string, sent: Envelope, sentStatus: number): Answer => {
    const setCookies = setCookiesOf(context)
    if (files.length === 0) return envelopeAnswer(text, sentStatus, setCookies, sent.error?.code)
    const form = new FormData()
    form.set(PAYLOAD_FIELD, text)
    files.forEach((file, index) => form.set(filePartName(index), file))
    return envelopeAnswer(form, sentStatus, setCookies, sent.error?.code)
  }
  const unsendable = (error: unknown): Answer | Promise<Answer> => {
    if (!(error instanceof UnsendableValueError)) throw error
    const instead = failed(error)
    files.length = 0
    const text = encodeServerValue(instead.envelope, o.ring, files, 'result')
    return typeof text === 'string' ? answer(text, instead.envelope, instead.status) : text.then((t) => answer(t, instead.envelope, instead.status))
  }
  let text: string | Promise<string>
  try {
    text = primitiveEnvelopeText(envelope) ?? encodeServerValue(envelope, o.ring, files, 'result', (path) => `result${path.replace(/^\.value/, '')}`)
  } catch (error) {
    return unsendable(error)
  }
  return typeof text === 'string' ? answer(text, envelope, status) : text.then((t) => answer(t, envelope, status), unsendable)
}
