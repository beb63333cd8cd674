import type { IncomingMessage, ServerResponse } from 'node:http'
import { requestUrl, webHeaders } from './requestMetadata.js'

/**
 * A Fetch API Request over a Node request, without buffering: the body streams from the socket.
 * Its `signal` aborts when the client goes away before the response is finished.
 */
export function toWebRequest(req: IncomingMessage & { originalUrl?: string }, res?: ServerResponse): Request {
  const url = requestUrl(req, req.originalUrl ?? req.url ?? '/')
  const controller = new AbortController()
  const abort = () => controller.abort(new Error('The client closed the connection.'))
  if (res) res.once('close', () => res.writableFinished || abort())
  else req.once('close', () => req.complete || abort())
  const method = req.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  return new Request(url, {
    method,
    headers: webHeaders(req),
    body: hasBody ? bodyStream(req) : null,
    signal: controller.signal,
    // Node's fetch needs this to accept a streamed request body.
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit)
}

/**
 * The request's body as a byte stream, read as it is pulled. Cancelling it (a body over the limit,
 * refused while it streams) drops the rest of the upload instead of destroying the request, as
 * `Readable.toWeb` does: that detached the socket from a request nobody read any more, so the
 * client blocked writing the rest and its connection was reset a keep-alive timeout after the
 * answer. Dropped, the connection stays usable, and `lingerAfterRefusal` bounds how long.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.pause()
        const onData = (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
          if ((controller.desiredSize ?? 0) <= 0) req.pause()
        }
        req.on('data', onData)
        const fail = (error?: Error) => {
          if (!settled) controller.error(error ?? new Error('The client closed the connection before the body was read.'))
          settled = true
        }
        req.once('end', () => {
          // The answer went out first and the rest was dropped (lingerAfterRefusal): not the whole body.
          if (!req.listeners('data').includes(onData)) fail(new Error('The answer was sent before the body was read; the rest of it was dropped.'))
          if (!settled) controller.close()
          settled = true
        })
        req.once('error', fail).once('close', () => req.complete || fail())
      },
      pull() {
        req.resume()
      },
      cancel() {
        settled = true
        req.removeAllListeners('data')
        req.resume()
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  )
}
