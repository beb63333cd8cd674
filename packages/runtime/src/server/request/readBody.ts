import type { IncomingCall } from './incomingCall.js'

/** The whole body of a call, in one buffer, under the same limit and deadline as `streamBody`. */
export function readBody(call: IncomingCall, limit: number, timeout: number): Promise<Uint8Array> {
  return readBodyThen(call, limit, timeout, (body) => body)
}

/** `readBody(…).then(then)`, with one promise fewer (each is work for the async hooks behind the request context). */
export function readBodyThen<T>(call: IncomingCall, limit: number, timeout: number, then: (body: Uint8Array) => T | PromiseLike<T>): Promise<T> {
  const chunks: Uint8Array[] = []
  let size = 0
  const sink = (chunk: Uint8Array) => {
    chunks.push(chunk)
    size += chunk.byteLength
  }
  return call.streamBody(limit, timeout, sink).then(() => then(chunks.length === 1 ? chunks[0]! : concat(chunks, size)))
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}
