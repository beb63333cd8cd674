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

/**
 * Reads a request body, refusing it as soon as it exceeds `limit` bytes (a declared
 * Content-Length over the limit is refused before reading a byte) or takes longer than `timeout` ms.
 */
export async function readBody(request: Request, limit: number, timeout: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit)
  if (!request.body) return new Uint8Array(0)

  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BodyError(408, `the body did not arrive within ${timeout} ms`)), timeout)
  })
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline])
      if (done) break
      size += value.byteLength
      if (size > limit) throw tooLarge(limit)
      chunks.push(value)
    }
  } catch (error) {
    reader.cancel().catch(() => {})
    if (error instanceof BodyError) throw error
    throw new BodyError(400, 'the body could not be read (the client went away?)')
  } finally {
    clearTimeout(timer)
  }
  if (chunks.length === 1) return chunks[0]!
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}

export function tooLarge(limit: number): BodyError {
  return new BodyError(413, `the body is larger than the limit of ${limit} bytes (raise bodyLimit, or send large files to a dedicated upload route)`)
}
