import { EVENTS_SEGMENT, FUNCTION_ID_PATTERN, QUERIES_HEADER, REFRESH_SEGMENT, type Envelope, type LiveQuery } from '../shared/protocol.js'
import { decodeCall, decodeText } from './request/decodeRequest.js'
import { openBound } from './request/decodeValue.js'
import { encodeServerValue } from './answer/encodeValue.js'
import { errorEnvelope } from './answer/errorEnvelope.js'
import { withTimeout } from './answer/withTimeout.js'
import { resolveHandlerOptions, type HandlerOptions, type ResolvedHandlerOptions } from './handlerOptions.js'
import { incomingFromRequest, type IncomingCall } from './request/incomingCall.js'
import { BodyError } from './request/bodyError.js'
import { readBody } from './request/readBody.js'
import type { ServerFunctionEntry } from './references/registry.js'
import { createRequestContext, runInContext, setCookiesOf } from './context/requestContext.js'
import { answerEnvelope, answerHeaders, bodyErrorAnswer, errorAnswer } from './answer/responses.js'
import { completeEnvelope } from './queries/completeEnvelope.js'
import { parseLiveQueries, readLiveQueries } from './queries/liveQueries.js'
import { refreshQueries } from './queries/refreshQueries.js'
import { answerToResponse, type Answer } from './answer/answer.js'
import { isAsyncIterable, streamResult } from './answer/streamResult.js'
import { PayloadError } from './request/validatePayload.js'
import { verifyOrigin } from './security/verifyOrigin.js'
import { eventsAnswer } from './events/eventsAnswer.js'

export type { HandlerOptions } from './handlerOptions.js'

// Ids are stable across builds, so an unknown one almost always comes from a page older than the deployment.
const STALE_MESSAGE = 'This server function no longer exists on the server: the page is probably older than the running deployment. Reload the page.'

/** The id in `<base>/<id>` (or `$refresh`, `$events`), or null when the path is anything else. */
export function functionIdFromUrl(url: string, base = '/_server'): string | null {
  const pathname = url.startsWith('/') ? url.split(/[?#]/, 1)[0]! : new URL(url, 'http://localhost').pathname
  const prefix = base.replace(/\/+$/, '') + '/'
  if (!pathname.startsWith(prefix)) return null
  const id = pathname.slice(prefix.length)
  return FUNCTION_ID_PATTERN.test(id) || id === REFRESH_SEGMENT || id === EVENTS_SEGMENT ? id : null
}

/**
 * Answers one call of a server function: a Fetch API handler, so it runs on Node (through the
 * adapter), Deno, Bun and Workers. Every check runs before any app code: method, origin, id, body
 * size, payload shape, bound token. It keeps no state between requests.
 */
export async function handleServerFunction(request: Request, options?: HandlerOptions): Promise<Response> {
  return answerToResponse(await answerCall(incomingFromRequest(request), options))
}

/** The handler itself, on any server API (see `IncomingCall`). */
export async function answerCall(call: IncomingCall, options?: HandlerOptions): Promise<Answer> {
  const o = resolveHandlerOptions(options)
  const id = functionIdFromUrl(call.url, o.base)
  if (id === EVENTS_SEGMENT) return eventsAnswer(o, call)
  if (call.method !== 'POST') {
    return errorAnswer(405, 'METHOD_NOT_ALLOWED', 'Server functions are called with POST only.', [['allow', 'POST']])
  }
  const forbidden = verifyOrigin(call, o)
  if (forbidden) return errorAnswer(403, 'FORBIDDEN', `Cross-site call refused: ${forbidden}.`)
  let live: LiveQuery[] | undefined
  try {
    live = readLiveQueries(call.header(QUERIES_HEADER), o.limits)
  } catch (error) {
    if (error instanceof PayloadError) return errorAnswer(400, 'BAD_REQUEST', `Malformed call: ${error.message}.`)
    throw error
  }
  if (id === REFRESH_SEGMENT) return refreshAnswer(o, call)
  const resolved = id ? o.resolve(id) : undefined
  const entry = resolved instanceof Promise ? await resolved : resolved
  if (!id || !entry) return errorAnswer(404, 'NOT_FOUND', STALE_MESSAGE)
  const contentType = call.header('content-type') ?? ''
  if (!contentType.startsWith('application/json') && !contentType.startsWith('multipart/form-data')) {
    return errorAnswer(415, 'UNSUPPORTED_MEDIA_TYPE', `A call must be sent as application/json or multipart/form-data, not ${JSON.stringify(contentType.slice(0, 60) || '(none)')}.`)
  }

  let args: unknown[]
  try {
    const decoded = await decodeCall(call, contentType, o)
    args = decoded.token === undefined && !entry.boundCount ? decoded.args : [...(await openBound(o, id, entry, decoded.token)), ...decoded.args]
  } catch (error) {
    if (error instanceof BodyError) return bodyErrorAnswer(error)
    if (error instanceof PayloadError) return errorAnswer(400, 'BAD_REQUEST', `Malformed call: ${error.message}.`)
    throw error
  }
  return await callServerFunction(o, id, entry, args, call, live)
}

/** Runs the function in its request context and turns whatever happens into an answer. */
async function callServerFunction(o: ResolvedHandlerOptions, id: string, entry: ServerFunctionEntry, args: unknown[], call: IncomingCall, live: LiveQuery[] | undefined): Promise<Answer> {
  const context = createRequestContext(call)
  let envelope: Envelope
  let status = 200
  try {
    const result = runInContext(context, () => entry.fn(...args))
    const value = o.timeout === undefined ? await result : await withTimeout(result, o.timeout)
    if (isAsyncIterable(value)) {
      return streamResult(value, context, {
        encode: async (line) => encodeServerValue(line, o.ring, null, 'a streamed value', (path) => `yielded value${path.replace(/^\.value/, '')}`, o.dev),
        fail: (error) => errorEnvelope(o, id, entry.name, error).envelope,
        complete: (last) => completeEnvelope(o, context, last, live),
      }, () => answerHeaders(setCookiesOf(context)))
    }
    envelope = { value }
  } catch (error) {
    ;({ envelope, status } = errorEnvelope(o, id, entry.name, error))
  }
  const completed = completeEnvelope(o, context, envelope, live)
  envelope = completed instanceof Promise ? await completed : completed
  return answerEnvelope(o, envelope, status, context, (error) => errorEnvelope(o, id, entry.name, error))
}

/**
 * `POST <base>/$refresh`: every query its body lists (a JSON list, as a call's queries header holds)
 * run again: the first loads of a page's queries together, another tab's revalidation, what a
 * call's header could not carry.
 */
async function refreshAnswer(o: ResolvedHandlerOptions, call: IncomingCall): Promise<Answer> {
  let live: LiveQuery[]
  try {
    live = parseLiveQueries(decodeText(await readBody(call, o.bodyLimit, o.bodyTimeout)), o.limits, 'the refresh request')
  } catch (error) {
    if (error instanceof BodyError) return bodyErrorAnswer(error)
    if (error instanceof PayloadError) return errorAnswer(400, 'BAD_REQUEST', `Malformed refresh: ${error.message}.`)
    throw error
  }
  const context = createRequestContext(call)
  const envelope: Envelope = { refreshed: await refreshQueries(o, context, live, 'all') }
  return answerEnvelope(o, envelope, 200, context, (error) => errorEnvelope(o, REFRESH_SEGMENT, 'refresh', error))
}
