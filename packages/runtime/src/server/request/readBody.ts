import type { IncomingCall } from './incomingCall.js'

/** The whole body of a call, in one buffer, under the same limit and deadline as `streamBody`. */
export function readBody(call: IncomingCall, limit: number, timeout: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let size = 0
  const sink = (chunk: Uint8Array) => {
    chunks.push(chunk)
    size += chunk.byteLength
  }
  return call.streamBody(limit, timeout, sink).then(() => {
    if (chunks.length === 1) return chunks[0]!
    const body = new Uint8Array(size)
    let offset = 0
    for (const chunk of chunks) {
      body.set(chunk, offset)
      offset += chunk.byteLength
    }
    return body
  })
}
