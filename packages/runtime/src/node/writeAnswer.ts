import type { IncomingMessage, ServerResponse } from 'node:http'
import { answerToResponse, type Answer } from '../server/answer/answer.js'
import { lingerAfterRefusal } from './lingerAfterRefusal.js'
import { sendWebResponse } from './sendWebResponse.js'

/**
 * Writes the handler's answer to a Node response: text in one write (the common case, no web
 * streams), multipart and streamed answers through a Response. When the request body was not read
 * to its end (a refused upload), the rest is dropped for a while before the connection closes.
 */
export function writeAnswer(res: ServerResponse, answer: Answer, req?: IncomingMessage): void | Promise<void> {
  if (typeof answer.body !== 'string') return sendWebResponse(res, answerToResponse(answer), req)
  if (req) lingerAfterRefusal(req, res)
  const headers: Record<string, string | string[]> = { 'content-length': String(Buffer.byteLength(answer.body)) }
  for (const [name, value] of answer.headers) {
    const previous = headers[name]
    headers[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value]
  }
  res.writeHead(answer.status, headers)
  res.end(answer.body)
}
