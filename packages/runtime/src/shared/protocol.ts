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

/** What a result depends on: the tags (`cacheTag`) and paths (`cachePath`) a function declared while it ran. */
export interface Dependencies {
  tags: string[]
  paths: string[]
}

export interface EnvelopeError {
  message: string
  code: string
  digest?: string
  stack?: string
  /** Only for a ValidationError (code VALIDATION): its name, its issues, and the same by field name. */
  name?: 'ValidationError'
  issues?: ValidationIssue[]
  fieldErrors?: Record<string, string[]>
  formErrors?: string[]
}

/**
 * Header of a call that lists the queries its page shows, for single-flight refreshes:
 * base64url of UTF-8 JSON, an array of `LiveQuery`.
 */
export const QUERIES_HEADER = 'x-use-server-queries'
/** `POST <base>/$refresh` runs every query its queries header lists (another tab's refresh, say). */
export const REFRESH_SEGMENT = '$refresh'
/** `GET <base>/$events`: server-sent events, one `revalidate` event per revalidation of any instance (opt-in). */
export const EVENTS_SEGMENT = '$events'

/**
 * One query the page shows, as its call travels: `call` is the devalue text of the server function
 * reference with the query's arguments bound to it (so it is also the query's key), or `page` the
 * path whose page data it is; `tags` and `paths` what it depended on when it last ran.
 */
export type LiveQuery = ({ call: string; page?: undefined } | { page: string; call?: undefined }) & { tags: string[]; paths: string[] }

/** A query run again after a call revalidated what it depends on: by its index in the call's list. */
export interface RefreshedQuery extends Dependencies {
  index: number
  value?: unknown
  error?: EnvelopeError
}

/** What the handler answers: a value or an error, plus effects the client applies. */
export interface Envelope {
  value?: unknown
  error?: EnvelopeError
  redirect?: { url: string; status: number }
  /** What the call revalidated; `id` tells the same revalidation apart when it also arrives pushed (`<base>/$events`). */
  revalidated?: { paths: string[]; tags: string[]; id?: string }
  /** What the value depends on, when the function declared it: the client keeps it beside a query's value. */
  depends?: Dependencies
  /** Fresh values of the page's queries that the call's revalidations touched (single flight). */
  refreshed?: RefreshedQuery[]
  /** In a stream, marks the last line; its `value` is the generator's return value. */
  done?: boolean
}

/** The global through which a server render hands data (form state, props) to the browser. */
export const CLIENT_DATA_GLOBAL = '__USE_SERVER_DATA__'

/** The field of the client data that holds the queries and page data the render loaded. */
export const LOADED_FIELD = '$loaded'

/** What a server render loaded for the browser's query cache, as it travels in the client data. */
export interface LoadedForClient {
  queries: Array<Dependencies & { fn: Function; args: unknown[]; value: unknown }>
  page?: Dependencies & { path: string; data: unknown }
}
