import { BodyError, tooLarge } from './bodyError.js'

/** Receives a body chunk by chunk; throwing stops the reading (the error reaches the reader). */
export type BodySink = (chunk: Uint8Array) => void

/**
 * A call as the handler reads it, whatever the server API: the Fetch API's Request (Deno, Bun,
 * Workers, SSR handlers) or Node's IncomingMessage (the Node adapter, which so avoids building web
 * streams for every call).
 */
export interface IncomingCall {
  readonly method: string
  /** Path and query, or a full URL. */
  readonly url: string
  /** `https` or `http`, as the connection itself says (never a header). */
  readonly protocol: 'http' | 'https'
  header(name: string): string | null
  /**
   * Hands the body to `sink` as it arrives, refusing it past `limit` bytes or `timeout` ms with a
   * BodyError. Resolves once the whole body went through.
   */
  streamBody(limit: number, timeout: number, sink: BodySink): Promise<void>
  /** The Fetch API Request, for `getRequest()` and `headers()`; built on first use where it is not native. */
  readonly request: Request
}

export function incomingFromRequest(request: Request): IncomingCall {
  return {
    method: request.method,
    url: request.url,
    protocol: request.url.startsWith('https:') ? 'https' : 'http',
    header: (name) => request.headers.get(name),
    streamBody: (limit, timeout, sink) => streamRequestBody(request, limit, timeout, sink),
    request,
  }
}

/**
 * Streams a Fetch API request's body to `sink`, refusing it as soon as it exceeds `limit` bytes (a
 * declared Content-Length over the limit is refused before reading a byte) or takes longer than
 * `timeout` ms. An error thrown by the sink cancels the body and rejects with that error.
 */
async function streamRequestBody(request: Request, limit: number, timeout: number, sink: BodySink): Promise<void> {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit)
  if (!request.body) return

  const reader = request.body.getReader()
  let size = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BodyError(408, `the body did not arrive within ${timeout} ms`)), timeout)
  })
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>
      try {
        step = await Promise.race([reader.read(), deadline])
      } catch (error) {
        throw error instanceof BodyError ? error : new BodyError(400, 'the body could not be read (the client went away?)')
      }
      if (step.done) return
      size += step.value.byteLength
      if (size > limit) throw tooLarge(limit)
      sink(step.value)
    }
  } catch (error) {
    reader.cancel().catch(() => {})
    throw error
  } finally {
    clearTimeout(timer)
  }
}
