import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'

/** A Node request's headers as Fetch API Headers (HTTP/2 pseudo-headers left out). */
export function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else headers.set(name, value)
  }
  return headers
}

/** The full URL of a Node request; a Host header that is not a host falls back to localhost. */
export function requestUrl(req: IncomingMessage, path: string): URL {
  const protocol = (req.socket as TLSSocket | undefined)?.encrypted ? 'https' : 'http'
  try {
    return new URL(path, `${protocol}://${req.headers.host ?? 'localhost'}`)
  } catch {
    // the URL only needs the path: the origin check reads the headers themselves
    return new URL(path.startsWith('/') ? path : '/', `${protocol}://localhost`)
  }
}
