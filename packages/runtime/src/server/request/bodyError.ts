/** The body was larger than the limit, or arrived too slowly; carries the status to answer. */
export class BodyError extends Error {
  override name = 'BodyError'
  constructor(
    readonly status: 413 | 408 | 400,
    message: string,
  ) {
    super(message)
  }
}

export function tooLarge(limit: number): BodyError {
  return new BodyError(413, `the body is larger than the limit of ${limit} bytes (raise bodyLimit, or send large files to a dedicated upload route)`)
}
