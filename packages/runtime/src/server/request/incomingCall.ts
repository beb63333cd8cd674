import { readBody } from './readBody.js'

/**
 * A call as the handler reads it, whatever the server API: the Fetch API's Request (Deno, Bun,
 * Workers, SSR handlers) or Node's IncomingMessage (the Node adapter, which so avoids building web
 * streams for every call).
 */
export interface IncomingCall {
  readonly method: string
  /** Path and query, or a full URL. */
  readonly url: string
  header(name: string): string | null
  /** The body, refused past `limit` bytes or `timeout` ms with a BodyError. */
  readBody(limit: number, timeout: number): Promise<Uint8Array>
  /** The Fetch API Request, for `getRequest()` and `headers()`; built on first use where it is not native. */
  readonly request: Request
}

export function incomingFromRequest(request: Request): IncomingCall {
  return {
    method: request.method,
    url: request.url,
    header: (name) => request.headers.get(name),
    readBody: (limit, timeout) => readBody(request, limit, timeout),
    request,
  }
}
