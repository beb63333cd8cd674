import type { IncomingMessage, ServerResponse } from 'node:http'

/** How long the rest of a refused body is read and dropped once the answer is out, at most. */
export const LINGER_MS = 2_000

/**
 * For an answer written before its request's body was read to the end (a refused upload). Closing
 * the connection once the answer is out, with the client's bytes still unread, makes the kernel
 * reset it, and a client still writing then loses the answer: its 413 becomes a network error (one
 * in ~60 under load). So the rest of the body is read and dropped, never kept, and the connection
 * is closed only if the body has not ended `LINGER_MS` after the answer (nginx's `lingering_close`).
 * A client that asked to close (`Connection: close`, HTTP/1.0) is no exception: Node closed its
 * connection the moment the answer was out, and one that writes its whole upload before reading got
 * EPIPE every time. Its connection is half-closed after the answer instead (which still says
 * `Connection: close`), and closed once the body has ended.
 */
export function lingerAfterRefusal(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket
  if (req.complete || !socket) return
  const closeAfter = !res.shouldKeepAlive
  // Node ends a connection the answer closes with `destroySoon()`: the writing side only, until the body has ended.
  const closing = socket as typeof socket & { destroySoon?: () => void }
  const destroySoon = closing.destroySoon?.bind(socket) ?? (() => socket.end())
  if (closeAfter) closing.destroySoon = () => socket.end()
  res.once('finish', () => {
    if (req.complete || req.destroyed) {
      if (closeAfter) destroySoon() // as Node would have: the body was read
      return
    }
    // Dropped as Node drops the body of a request answered without reading it (`_dump`), readers
    // included: a Fetch API Request's body stream (toNodeListener) kept the request paused once its
    // queue was full, so nothing was read, the client blocked writing and got a reset 2 s later.
    // The answer is out: a handler still reading its body gets an error (toWebRequest).
    req.removeAllListeners('data')
    req.resume()
    if (closeAfter) socket.end() // the answer is complete; what the client still sends is read and dropped
    const timer = setTimeout(() => socket.destroy(), LINGER_MS)
    timer.unref()
    const stop = () => {
      clearTimeout(timer)
      if (closeAfter) socket.destroy()
    }
    req.once('end', stop).once('close', stop)
  })
}
