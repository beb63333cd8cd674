import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { TLSSocket } from 'node:tls'

/**
 * A Fetch API Request over a Node request, without buffering: the body streams from the socket.
 * Its `signal` aborts when the client goes away before the response is finished.
 */
export function toWebRequest(req: IncomingMessage & { originalUrl?: string }, res?: ServerResponse): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else headers.set(name, value)
  }
  const protocol = (req.socket as TLSSocket | undefined)?.encrypted ? 'https' : 'http'
  const path = req.originalUrl ?? req.url ?? '/'
  let url: URL
  try {
    url = new URL(path, `${protocol}://${req.headers.host ?? 'localhost'}`)
  } catch {
    // a Host header that is not a host: the URL only needs the path, the origin check reads the headers
    url = new URL(path.startsWith('/') ? path : '/', `${protocol}://localhost`)
  }
  const controller = new AbortController()
  const abort = () => controller.abort(new Error('The client closed the connection.'))
  if (res) res.once('close', () => res.writableFinished || abort())
  else req.once('close', () => req.complete || abort())
  const method = req.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  return new Request(url, {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
    signal: controller.signal,
    // Node's fetch needs this to accept a streamed request body.
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit)
}
