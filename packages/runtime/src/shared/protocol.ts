// The wire protocol between the client runtime and the server handler, in one place.
import type { ValidationIssue } from './ValidationError.js'

/** Multipart field holding the devalue payload when a body has file parts or a bound token. */
export const PAYLOAD_FIELD = '$payload'
/** Multipart field holding the encrypted bound values of the called reference. */
export const BOUND_FIELD = '$bound'
/** Multipart field name of the n-th file part. */
export const filePartName = (index: number) => `$${index}`

/** What a function id may look like (the transform makes 16 base64url characters); anything else is refused unread. */
export const FUNCTION_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/

/** Present on every error response of the handler; its value is the error code. */
export const ERROR_HEADER = 'x-use-server-error'

export const JSON_CONTENT_TYPE = 'application/json'
/** A streamed result (an async generator's values): one envelope per line, the last with `done`. */
export const STREAM_CONTENT_TYPE = 'application/x-use-server-stream'

/** A reference to a server function as it travels: id, server-issued bound token, client-bound args. */
export interface ReferencePayload {
  id: string
  token?: string
  bound?: unknown[]
}

/** What the handler answers: a value or an error, plus effects the client applies. */
export interface Envelope {
  value?: unknown
  /** `issues` only for a ValidationError (code VALIDATION). */
  error?: { message: string; code: string; digest?: string; stack?: string; issues?: ValidationIssue[] }
  redirect?: { url: string; status: number }
  revalidated?: { paths: string[]; tags: string[] }
  /** In a stream, marks the last line; its `value` is the generator's return value. */
  done?: boolean
}

/** The global through which a server render hands data (form state, props) to the browser. */
export const CLIENT_DATA_GLOBAL = '__USE_SERVER_DATA__'
