import { filePartName, PAYLOAD_FIELD, type Envelope } from '../shared/protocol.js'
import { createReferenceReviver, openBound } from './boundArguments.js'
import { decodeRequest } from './decodeRequest.js'
import { encodeServerValue, UnsendableValueError } from './encodeValue.js'
import { errorEnvelope, TimeoutError } from './errorEnvelope.js'
import { resolveHandlerOptions, type HandlerOptions, type ResolvedHandlerOptions } from './handlerOptions.js'
import { BodyError, readBody } from './readBody.js'
import type { ServerFunctionEntry } from './registry.js'
import { createRequestContext, runWithRequest, type RequestContext } from './requestContext.js'
import { envelopeResponse, errorResponse, methodNotAllowed, responseHeaders } from './responses.js'
import { isAsyncIterable, streamResult } from './streamResult.js'
import { PayloadError } from './validatePayload.js'
import { verifyOrigin } from './verifyOrigin.js'

export type { HandlerOptions } from './handlerOptions.js'

const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/
// Ids are stable across builds, so an unknown one almost always comes from a page older than the deployment.
const STALE_MESSAGE = 'This server function no longer exists on the server: the page is probably older than the running deployment. Reload the page.'

/** The id in `<base>/<id>`, or null when the path is anything else. */
export function functionIdFromUrl(url: string, base = '/_server'): string | null {
  const pathname = new URL(url, 'http://localhost').pathname
  const prefix = base.replace(/\/+$/, '') + '/'
  if (!pathname.startsWith(prefix)) return null
  const id = pathname.slice(prefix.length)
  return ID_PATTERN.test(id) ? id : null
}

/**
 * Answers one call of a server function: a Fetch API handler, so it runs on Node (through the
 * adapter), Deno, Bun and Workers. Every check runs before any app code: method, origin, id, body
 * size, payload shape, bound token. It keeps no state between requests.
 */
export async function handleServerFunction(request: Request, options?: HandlerOptions): Promise<Response> {
  const o = resolveHandlerOptions(options)
  if (request.method !== 'POST') return methodNotAllowed()
  const forbidden = verifyOrigin(request, o.allowedOrigins)
  if (forbidden) return errorResponse(403, 'FORBIDDEN', `Cross-site call refused: ${forbidden}.`)
  const id = functionIdFromUrl(request.url, o.base)
  const entry = id ? await o.resolve(id) : undefined
  if (!id || !entry) return errorResponse(404, 'NOT_FOUND', STALE_MESSAGE)
  const contentType = request.headers.get('content-type') ?? ''
  if (!contentType.startsWith('application/json') && !contentType.startsWith('multipart/form-data')) {
    return errorResponse(415, 'UNSUPPORTED_MEDIA_TYPE', `A call must be sent as application/json or multipart/form-data, not ${JSON.stringify(contentType.slice(0, 60) || '(none)')}.`)
  }

  const revive = createReferenceReviver(o)
  let args: unknown[]
  try {
    const body = await readBody(request, o.bodyLimit, o.bodyTimeout)
    const call = await decodeRequest(body, contentType, o.limits, revive)
    args = [...(await openBound(o, id, entry, call.token, revive)), ...call.args]
  } catch (error) {
    if (error instanceof BodyError) return errorResponse(error.status, error.status === 413 ? 'PAYLOAD_TOO_LARGE' : error.status === 408 ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST', `Request refused: ${error.message}.`)
    if (error instanceof PayloadError) return errorResponse(400, 'BAD_REQUEST', `Malformed call: ${error.message}.`)
    throw error
  }
  return callServerFunction(o, id, entry, args, request)
}

/** Runs the function in its request context and turns whatever happens into a response. */
async function callServerFunction(o: ResolvedHandlerOptions, id: string, entry: ServerFunctionEntry, args: unknown[], request: Request): Promise<Response> {
  const context = createRequestContext(request)
  let envelope: Envelope
  let status = 200
  try {
    const { result } = runWithRequest(request, () => entry.fn(...args), context)
    const value = await withTimeout(result, o.timeout)
    if (isAsyncIterable(value)) {
      const ring = await o.ring()
      return streamResult(value, context, {
        encode: (line) => encodeServerValue(line, ring, null, 'a streamed value', (path) => `yielded value${path.replace(/^\.value/, '')}`),
        fail: (error) => errorEnvelope(o, id, entry.name, error).envelope,
        revalidated: () => revalidations(o, context, request),
      }, () => responseHeaders(context.cookies.setCookieHeaders()))
    }
    envelope = { value }
  } catch (error) {
    ;({ envelope, status } = errorEnvelope(o, id, entry.name, error))
  }
  const revalidated = revalidations(o, context, request)
  if (revalidated) envelope.revalidated = revalidated

  const files: Blob[] = []
  let text: string
  try {
    text = await encodeServerValue(envelope, await o.ring(), files, 'result', (path) => `result${path.replace(/^\.value/, '')}`)
  } catch (error) {
    if (!(error instanceof UnsendableValueError)) throw error
    ;({ envelope, status } = errorEnvelope(o, id, entry.name, error))
    files.length = 0
    text = await encodeServerValue(envelope, await o.ring(), files, 'result')
  }
  const setCookies = context.cookies.setCookieHeaders()
  if (files.length === 0) return envelopeResponse(text, status, setCookies, envelope.error?.code)
  const form = new FormData()
  form.set(PAYLOAD_FIELD, text)
  files.forEach((file, index) => form.set(filePartName(index), file))
  return envelopeResponse(form, status, setCookies, envelope.error?.code)
}

/** The call's revalidations, if any, after telling the server-side hook about them. */
export function revalidations(o: ResolvedHandlerOptions, context: RequestContext, request: Request): Envelope['revalidated'] {
  const { paths, tags } = context.revalidated
  if (paths.size + tags.size === 0) return undefined
  const revalidated = { paths: [...paths], tags: [...tags] }
  o.options.onRevalidate?.(revalidated, request)
  return revalidated
}

async function withTimeout<T>(value: T | Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined || !(value instanceof Promise)) return value
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

