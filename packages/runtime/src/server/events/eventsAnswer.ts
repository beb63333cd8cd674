import type { Answer } from '../answer/answer.js'
import { errorAnswer } from '../answer/responses.js'
import type { ResolvedHandlerOptions } from '../handlerOptions.js'
import type { IncomingCall } from '../request/incomingCall.js'
import { verifyOrigin } from '../security/verifyOrigin.js'
import { openEventStream, openEventStreams } from './eventStreams.js'

/**
 * `GET <base>/$events`: the revalidations of every instance, as server-sent events, for browsers that
 * keep their queries fresh (`connectRevalidations()`). Off unless the `events` option turns it on;
 * refused cross-site like a call (an EventSource from another site is a cross-site request).
 */
export function eventsAnswer(o: ResolvedHandlerOptions, call: IncomingCall): Answer {
  const events = o.events
  if (!events) return errorAnswer(404, 'NOT_FOUND', 'This server does not push revalidations: turn the stream on with the `events` option (useServer({ events: true }) or the handler\'s).')
  if (call.method !== 'GET') return errorAnswer(405, 'METHOD_NOT_ALLOWED', 'The revalidation stream is read with GET (an EventSource).', [['allow', 'GET']])
  const forbidden = verifyOrigin(call, o)
  if (forbidden) return errorAnswer(403, 'FORBIDDEN', `Cross-site event stream refused: ${forbidden}.`)
  if (openEventStreams() >= events.maxConnections) {
    const retryAfter = String(Math.max(1, Math.ceil(events.retry / 1000)))
    return errorAnswer(503, 'TOO_MANY_CONNECTIONS', `This server has ${events.maxConnections} revalidation streams open (events.maxConnections); try again later.`, [['retry-after', retryAfter]])
  }
  return {
    status: 200,
    headers: [
      ['content-type', 'text/event-stream; charset=utf-8'],
      ['cache-control', 'no-store, no-transform'],
      ['x-content-type-options', 'nosniff'],
      // nginx and others buffer responses unless told not to: events must leave at once.
      ['x-accel-buffering', 'no'],
    ],
    body: openEventStream(events),
  }
}
