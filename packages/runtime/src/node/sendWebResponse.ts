import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { lingerAfterRefusal } from './lingerAfterRefusal.js'

/**
 * Writes a Fetch API Response to a Node response, streaming the body with backpressure. When the
 * request body was not read to its end (a refused upload), the rest is dropped for a while before
 * the connection closes (`lingerAfterRefusal`).
 */
export async function sendWebResponse(res: ServerResponse, response: Response, req?: IncomingMessage): Promise<void> {
  if (req) lingerAfterRefusal(req, res)
  res.statusCode = response.status
  if (response.statusText) res.statusMessage = response.statusText
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value)
  })
  if (!response.body) {
    res.end()
    return
  }
  try {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), res)
  } catch {
    // the client went away mid-response; the pipeline has already torn both ends down
  }
}
