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

/**
 * The full URL of a Node request; a Host header that is not a host falls back to localhost. A path
 * is appended to the origin, never resolved against it: resolved, `//evil.example/reset` named
 * another host (an app that builds links from `request.url` would mail them to the attacker's
 * site, past a proxy that checks the Host header).
 */
export function requestUrl(req: IncomingMessage, path: string): URL {
  const protocol = (req.socket as TLSSocket | undefined)?.encrypted ? 'https' : 'http'
  let origin: string
  try {
    origin = new URL(`${protocol}://${req.headers.host ?? 'localhost'}`).origin
  } catch {
    // the URL only needs the path: the origin check reads the headers themselves
    origin = `${protocol}://localhost`
  }
  try {
    // An absolute-form target (`GET http://host/path`) names its own host, as RFC 9112 says it does.
    return path.startsWith('/') ? new URL(origin + path) : new URL(path, origin)
  } catch {
    return new URL('/', origin)
  }
}
