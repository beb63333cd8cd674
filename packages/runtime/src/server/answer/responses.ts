import { stringify } from 'devalue'
import { ERROR_HEADER, JSON_CONTENT_TYPE, type Envelope } from '../../shared/protocol.js'
import type { Answer } from './answer.js'

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

/** An error answered before any app code ran (method, origin, size, malformed input, unknown id). */
export function errorAnswer(status: number, code: string, message: string, extraHeaders: Array<[string, string]> = []): Answer {
  const envelope: Envelope = { error: { message, code } }
  const answer = envelopeAnswer(stringify(envelope), status, [], code)
  answer.headers.push(...extraHeaders)
  return answer
}
