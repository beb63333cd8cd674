import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendWebResponse } from './sendWebResponse.js'
import { toWebRequest } from './toWebRequest.js'

export type FetchHandler = (request: Request) => Response | Promise<Response>
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void

export interface NodeListenerOptions {
  /** Called with what the handler threw; the client gets a bare 500. Default: `console.error`. */
  onError?: (error: unknown, req: IncomingMessage) => void
}

// Every method a Fetch API Request can carry (CONNECT, TRACE and TRACK make its constructor throw).
const FETCH_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'

/**
 * A `node:http` request listener over a Fetch API handler (an SSR entry's `handle`). It never lets a
 * request end the process: a method the Fetch API cannot represent gets a 405, and a handler that
 * throws is reported to `onError` and answered with a 500.
 */
export function toNodeListener(handler: FetchHandler, options: NodeListenerOptions = {}): NodeListener {
  const onError = options.onError ?? ((error) => console.error('use-server: the request handler threw', error))
  return (req, res) => {
    let request: Request
    try {
      request = toWebRequest(req, res)
    } catch {
      answerText(res, 405, `${req.method} requests are not served.`, { allow: FETCH_METHODS, connection: 'close' })
      return
    }
    Promise.resolve()
      .then(() => handler(request))
      .then((response) => sendWebResponse(res, response, req))
      .catch((error: unknown) => {
        onError(error, req)
        if (res.headersSent) res.destroy()
        else answerText(res, 500, 'Internal Server Error', { connection: 'close' })
      })
  }
}

function answerText(res: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers })
  res.end(text)
}
