import { stringify } from 'devalue'
import { ERROR_HEADER, JSON_CONTENT_TYPE, type Envelope } from '../shared/protocol.js'

const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }

/** Headers of every answer: never cached, never sniffed, plus the call's cookies. */
export function responseHeaders(setCookies: string[], errorCode?: string): Headers {
  const headers = new Headers(COMMON_HEADERS)
  if (errorCode) headers.set(ERROR_HEADER, errorCode)
  for (const cookie of setCookies) headers.append('set-cookie', cookie)
  return headers
}

/** A response carrying an envelope: devalue text, or multipart when files ride along. */
export function envelopeResponse(body: string | FormData, status: number, setCookies: string[], errorCode?: string): Response {
  const headers = responseHeaders(setCookies, errorCode)
  if (typeof body === 'string') headers.set('content-type', JSON_CONTENT_TYPE)
  return new Response(body, { status, headers })
}

/** The answer to any method but POST. */
export function methodNotAllowed(): Response {
  return errorResponse(405, 'METHOD_NOT_ALLOWED', 'Server functions are called with POST only.', { allow: 'POST' })
}

/** An error answered before any app code ran (method, origin, size, malformed input, unknown id). */
export function errorResponse(status: number, code: string, message: string, extraHeaders: Record<string, string> = {}): Response {
  const envelope: Envelope = { error: { message, code } }
  const response = envelopeResponse(stringify(envelope), status, [], code)
  for (const [name, value] of Object.entries(extraHeaders)) response.headers.set(name, value)
  return response
}
