import { stringify } from 'devalue'
import { ERROR_HEADER, filePartName, JSON_CONTENT_TYPE, PAYLOAD_FIELD, type Envelope } from '../../shared/protocol.js'
import { setCookiesOf, type RequestContext } from '../context/requestContext.js'
import type { ResolvedHandlerOptions } from '../handlerOptions.js'
import type { BodyError } from '../request/bodyError.js'
import type { Answer } from './answer.js'
import { encodeServerValue, primitiveEnvelopeText } from './encodeValue.js'
import { errorEnvelope } from './errorEnvelope.js'

/** Headers of every answer: never cached, never sniffed, plus the call's cookies. */
export function answerHeaders(setCookies: string[], errorCode?: string): Answer['headers'] {
  const headers: Answer['headers'] = [
    ['cache-control', 'no-store'],
    ['x-content-type-options', 'nosniff'],
  ]
  if (errorCode) headers.push([ERROR_HEADER, headerValue(errorCode)])
  for (const cookie of setCookies) headers.push(['set-cookie', cookie])
  return headers
}

/**
 * An error code as a header value. Codes are the app's (a ServerFunctionError's), and may hold what a
 * header cannot (`'ошибка'`, a line break from input): set as they are, they made writing the answer
 * throw, and the expected 4xx a 500. The envelope carries the code itself.
 */
function headerValue(code: string): string {
  const text = String(code)
  if (/^[\x21-\x7e]+$/.test(text)) return text
  try {
    return encodeURIComponent(text)
  } catch {
    return 'ERROR' // a lone surrogate
  }
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
 * along. A value that cannot be encoded becomes the error `failed` makes of it (and is logged); a
 * query run again that cannot be, that query's error alone (the call itself succeeded). At once when
 * nothing needs sealing (most answers), else once the tokens are sealed.
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
  const recover = async (error: unknown): Promise<Answer> => {
    files.length = 0
    try {
      // What cannot be sent (a class instance), or a getter that throws: the function's failure,
      // logged under a digest like any other (thrown on, it reached no log at all).
      if (!(await refuseUnsendableQueries(o, envelope))) throw error
      return answer(await encodeEnvelope(o, envelope, files), envelope, status)
    } catch (error) {
      const instead = failed(error)
      files.length = 0
      return answer(await encodeServerValue(instead.envelope, o.ring, files, 'result', undefined, o.dev), instead.envelope, instead.status)
    }
  }
  let text: string | Promise<string>
  try {
    text = encodeEnvelope(o, envelope, files)
  } catch (error) {
    return recover(error)
  }
  return typeof text === 'string' ? answer(text, envelope, status) : text.then((t) => answer(t, envelope, status), recover)
}

function encodeEnvelope(o: ResolvedHandlerOptions, envelope: Envelope, files: Blob[]): string | Promise<string> {
  return primitiveEnvelopeText(envelope) ?? encodeServerValue(envelope, o.ring, files, 'result', (path) => `result${path.replace(/^\.value/, '')}`, o.dev)
}

/**
 * Replaces each refreshed query whose value cannot be encoded by its error (logged under a digest).
 * Only on the failure path: each is encoded alone to find which. Whether any was replaced.
 */
async function refuseUnsendableQueries(o: ResolvedHandlerOptions, envelope: Envelope): Promise<boolean> {
  let replaced = false
  for (const [i, query] of (envelope.refreshed ?? []).entries()) {
    if (!('value' in query)) continue
    try {
      await encodeServerValue(query.value, o.ring, [], 'a query', undefined, o.dev)
    } catch (error) {
      const { tags, paths } = query
      envelope.refreshed![i] = { index: query.index, error: errorEnvelope(o, 'query', 'a query', error).envelope.error!, tags, paths }
      replaced = true
    }
  }
  return replaced
}
