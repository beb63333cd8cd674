import type { IncomingMessage, ServerResponse } from 'node:http'
import { answerCall, type HandlerOptions } from '../server/handleServerFunction.js'
import { incomingFromNode } from './incomingFromNode.js'
import { writeAnswer } from './writeAnswer.js'

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
    const fail = (error: unknown) => {
      if (next) return next(error)
      console.error('use-server: the request could not be handled', error)
      if (!res.headersSent) res.statusCode = 500
      res.end()
    }
    // One reaction per call (each promise a call makes is work for the async hooks behind the request context).
    answerCall(incomingFromNode(req, res), options).then((answer) => {
      try {
        writeAnswer(res, answer, req)?.catch(fail)
      } catch (error) {
        fail(error)
      }
    }, fail)
  }
}
