import { filePartName, FUNCTION_ID_PATTERN, PAYLOAD_FIELD, type Envelope } from '../shared/protocol.js'
import { decodeCall } from './request/decodeRequest.js'
import { openBound } from './request/decodeValue.js'
import { encodeServerValue, primitiveEnvelopeText } from './answer/encodeValue.js'
import { errorEnvelope, TimeoutError } from './answer/errorEnvelope.js'
import { resolveHandlerOptions, type HandlerOptions, type ResolvedHandlerOptions } from './handlerOptions.js'
import { incomingFromRequest, type IncomingCall } from './request/incomingCall.js'
import { BodyError } from './request/bodyError.js'
import type { ServerFunctionEntry } from './references/registry.js'
import { createRequestContext, runInContext, setCookiesOf, type RequestContext } from './context/requestContext.js'
import { answerHeaders, envelopeAnswer, errorAnswer } from './answer/responses.js'
import { answerToResponse, type Answer } from './answer/answer.js'
import { isAsyncIterable, streamResult } from './answer/streamResult.js'
import { PayloadError } from './request/validatePayload.js'
import { verifyOrigin } from './security/verifyOrigin.js'

export type { HandlerOptions } from './handlerOptions.js'

// Ids are stable across builds, so an unknown one almost always comes from a page older than the deployment.
const STALE_MESSAGE = 'This server function no longer exists on the server: the page is probably older than the running deployment. Reload the page.'

/** The id in `<base>/<id>`, or null when the path is anything else. */
export function functionIdFromUrl(url: string, base = '/_server'): string | null {
  const pathname = url.startsWith('/') ? url.split(/[?#]/, 1)[0]! : new URL(url, 'http://localhost').pathname
  const prefix = base.replace(/\/+$/, '') + '/'
  if (!pathname.startsWith(prefix)) return null
  const id = pathname.slice(prefix.length)
  return FUNCTION_ID_PATTERN.test(id) ? id : null
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
  if (call.method !== 'POST') {
    return errorAnswer(405, 'METHOD_NOT_ALLOWED', 'Server functions are called with POST only.', [['allow', 'POST']])
  }
  const forbidden = verifyOrigin(call, o)
  if (forbidden) return errorAnswer(403, 'FORBIDDEN', `Cross-site call refused: ${forbidden}.`)
  const id = functionIdFromUrl(call.url, o.base)
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
    if (error instanceof BodyError) return errorAnswer(error.status, error.status === 413 ? 'PAYLOAD_TOO_LARGE' : error.status === 408 ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST', `Request refused: ${error.message}.`)
    if (error instanceof PayloadError) return errorAnswer(400, 'BAD_REQUEST', `Malformed call: ${error.message}.`)
    throw error
  }
  return callServerFunction(o, id, entry, args, call)
}

/** Runs the function in its request context and turns whatever happens into an answer. */
async function callServerFunction(o: ResolvedHandlerOptions, id: string, entry: ServerFunctionEntry, args: unknown[], call: IncomingCall): Promise<Answer> {
  const context = createRequestContext(call)
  let envelope: Envelope
  let status = 200
  try {
    const result = runInContext(context, () => entry.fn(...args))
    const value = o.timeout === undefined ? await result : await withTimeout(result, o.timeout)
    if (isAsyncIterable(value)) {
      return streamResult(value, context, {
        encode: async (line) => encodeServerValue(line, o.ring, null, 'a streamed value', (path) => `yielded value${path.replace(/^\.value/, '')}`),
        fail: (error) => errorEnvelope(o, id, entry.name, error).envelope,
        revalidated: () => revalidations(o, context),
      }, () => answerHeaders(setCookiesOf(context)))
    }
    envelope = { value }
  } catch (error) {
    ;({ envelope, status } = errorEnvelope(o, id, entry.name, error))
  }
  const revalidated = revalidations(o, context)
  if (revalidated) envelope.revalidated = revalidated

  const files: Blob[] = []
  let text: string
  try {
    text = primitiveEnvelopeText(envelope) ?? (await encodeServerValue(envelope, o.ring, files, 'result', (path) => `result${path.replace(/^\.value/, '')}`))
  } catch (error) {
    // What cannot be sent (a class instance), or a getter of the result that throws: the function's
    // failure, logged under a digest like any other (thrown on, it reached no log at all).
    ;({ envelope, status } = errorEnvelope(o, id, entry.name, error))
    files.length = 0
    text = await encodeServerValue(envelope, o.ring, files, 'result')
  }
  const setCookies = setCookiesOf(context)
  if (files.length === 0) return envelopeAnswer(text, status, setCookies, envelope.error?.code)
  const form = new FormData()
  form.set(PAYLOAD_FIELD, text)
  files.forEach((file, index) => form.set(filePartName(index), file))
  return envelopeAnswer(form, status, setCookies, envelope.error?.code)
}

/** The call's revalidations, if any, after telling the server-side hook about them. */
export function revalidations(o: ResolvedHandlerOptions, context: RequestContext): Envelope['revalidated'] {
  const { paths, tags } = context.revalidated
  if (paths.size + tags.size === 0) return undefined
  const revalidated = { paths: [...paths], tags: [...tags] }
  o.options.onRevalidate?.(revalidated, context.incoming.request)
  return revalidated
}

async function withTimeout<T>(value: T | Promise<T>, ms: number): Promise<T> {
  if (!(value instanceof Promise)) return value
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([
      value,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(`The server function did not finish within ${ms} ms.`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

