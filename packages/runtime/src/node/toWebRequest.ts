import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
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
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
    signal: controller.signal,
    // Node's fetch needs this to accept a streamed request body.
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit)
}
