// Recognized by a brand rather than `instanceof`: app code may throw one from another copy of the runtime.
const BRAND = Symbol.for('use-server.error')

/**
 * An error a caller is meant to see. On the server, throw it for expected failures (validation,
 * permissions): its message and code reach the client in development and production alike, while
 * any other error is reduced to a digest in production. On the client, every failed call rejects
 * with one: `code` tells a stale page (`NOT_FOUND`), a lost server (`NETWORK`), a timeout
 * (`TIMEOUT`) or an app code apart.
 */
export class ServerFunctionError extends Error {
  override name = 'ServerFunctionError'
  readonly [BRAND] = true
  // Declared only (set by the constructor): no field declarations in the shipped code.
  /** App code, or one of the runtime's: NOT_FOUND, NETWORK, TIMEOUT, FORBIDDEN, BAD_REQUEST, … */
  declare readonly code: string
  /** HTTP status of the response (0 when none arrived). */
  declare readonly status: number
  /** In production, the key under which the server logged an unexpected error. */
  declare readonly digest: string | undefined
  /** In development, the server-side stack of an unexpected error. */
  declare readonly serverStack: string | undefined

  constructor(
    message: string,
    options: { code?: string; status?: number; digest?: string; serverStack?: string; cause?: unknown } = {},
  ) {
    // Error takes the options as they are: it reads `cause` only when there is one.
    super(message, options)
    this.code = options.code ?? 'ERROR'
    this.status = options.status ?? 400
    this.digest = options.digest
    this.serverStack = options.serverStack
  }
}

export function isServerFunctionError(error: unknown): error is ServerFunctionError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true
}
