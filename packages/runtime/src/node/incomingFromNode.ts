import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { BodySink, IncomingCall } from '../server/request/incomingCall.js'
import { BodyError, tooLarge } from '../server/request/bodyError.js'
import { clearBodyDeadline, startBodyDeadline } from '../server/request/bodyDeadlines.js'
import { requestUrl, webHeaders } from './requestMetadata.js'

/**
 * A Node request as the handler reads it, without web streams: the body is read from the socket
 * chunk by chunk under the limit and deadline, and a Fetch API Request (for `getRequest()`) is only
 * built if the function asks for one. Its `signal` aborts when the client goes away.
 */
export function incomingFromNode(req: IncomingMessage & { originalUrl?: string }, res?: ServerResponse): IncomingCall {
  return new NodeCall(req, res)
}

/** A class rather than an object literal with a getter: one is made for every call. */
class NodeCall implements IncomingCall {
  readonly method: string
  readonly url: string
  readonly protocol: 'http' | 'https'
  #request: Request | undefined

  constructor(
    private readonly req: IncomingMessage & { originalUrl?: string },
    private readonly res?: ServerResponse,
  ) {
    this.method = req.method ?? 'GET'
    this.url = req.originalUrl ?? req.url ?? '/'
    this.protocol = (req.socket as TLSSocket | undefined)?.encrypted ? 'https' : 'http'
  }

  header(name: string): string | null {
    const value = this.req.headers[name]
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
  }

  streamBody(limit: number, timeout: number, sink: BodySink): Promise<void> {
    return streamNodeBody(this.req, limit, timeout, sink)
  }

  get request(): Request {
    if (this.#request) return this.#request
    const { req, res } = this
    // Its signal aborts when the client goes away before the answer is written; watched from
    // here, as most calls never ask for a Request.
    const controller = new AbortController()
    const abort = () => controller.abort(new Error('The client closed the connection.'))
    if (res) {
      if (res.destroyed && !res.writableFinished) abort()
      else res.once('close', () => res.writableFinished || abort())
    } else if (req.destroyed && !req.complete) abort()
    else req.once('close', () => req.complete || abort())
    // The body has been read by then: the Request carries the call's metadata only.
    this.#request = new Request(requestUrl(req, this.url), { method: req.method, headers: webHeaders(req), signal: controller.signal })
    return this.#request
  }
}

function streamNodeBody(req: IncomingMessage, limit: number, timeout: number, sink: BodySink): Promise<void> {
  const declared = req.headers['content-length']
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit))
  return new Promise((resolve, reject) => {
    let size = 0
    const deadline = startBodyDeadline(timeout, () => fail(new BodyError(408, `the body did not arrive within ${timeout} ms`)))
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) return fail(tooLarge(limit))
      try {
        sink(chunk)
      } catch (error) {
        fail(error)
      }
    }
    const onEnd = () => {
      done()
      resolve()
    }
    const onClose = () => fail(new BodyError(400, 'the body could not be read (the client went away?)'))
    const done = () => {
      clearBodyDeadline(deadline)
      req.off('data', onData).off('end', onEnd).off('error', onClose).off('close', onClose)
    }
    const fail = (error: unknown) => {
      done()
      req.pause() // stop reading what nobody will use; the response closes the connection
      reject(error)
    }
    req.on('data', onData).once('end', onEnd).once('error', onClose).once('close', onClose)
  })
}
