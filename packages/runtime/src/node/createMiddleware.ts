import type { IncomingMessage, ServerResponse } from 'node:http'
import { handleServerFunction, type HandlerOptions } from '../server/handleServerFunction.js'
import { methodNotAllowed } from '../server/responses.js'
import { sendWebResponse } from './sendWebResponse.js'
import { toWebRequest } from './toWebRequest.js'

export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void

/**
 * Connect/Express middleware (also a plain `http.createServer` listener) that answers calls under
 * `base` and hands every other request to `next` (404 without one).
 */
export function createMiddleware(options: HandlerOptions = {}): NodeMiddleware {
  const base = (options.base ?? '/_server').replace(/\/+$/, '')
  return (req, res, next) => {
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/'
    const path = url.split('?', 1)[0]!
    if (path !== base && !path.startsWith(base + '/')) {
      if (next) return next()
      res.statusCode = 404
      res.end()
      return
    }
    let request: Request
    try {
      request = toWebRequest(req, res)
    } catch {
      // The Fetch API has no Request for the methods CONNECT, TRACE and TRACK (and a throw here
      // would escape the server's request listener and end the process); none of them is a call.
      void sendWebResponse(res, methodNotAllowed(), req)
      return
    }
    handleServerFunction(request, options)
      .then((response) => sendWebResponse(res, response, req))
      .catch((error: unknown) => {
        if (next) return next(error)
        console.error('use-server: the request could not be handled', error)
        if (!res.headersSent) res.statusCode = 500
        res.end()
      })
  }
}
