import { isServerFunctionError, ServerFunctionError } from '../shared/ServerFunctionError.js'
import { filePartName, PAYLOAD_FIELD, type Envelope, type ReferencePayload } from '../shared/protocol.js'
import { openBoundValues } from './boundToken.js'
import { decodeRequest, decodeServerValue, type ReviveReference } from './decodeRequest.js'
import { encodeServerValue, UnsendableValueError } from './encodeValue.js'
import { getKeyRing, type KeyOptions, type KeyRing } from './keys.js'
import { BodyError, readBody } from './readBody.js'
import { isRedirectError } from './redirect.js'
import { mark, resolveServerFunction, type ServerFunctionEntry, type ServerFunctionResolver } from './registry.js'
import { createRequestContext, runWithRequest, type RequestContext } from './requestContext.js'
import { envelopeResponse, errorResponse, responseHeaders } from './responses.js'
import { isAsyncIterable, streamResult } from './streamResult.js'
import { DEFAULT_LIMITS, PayloadError, type DecodeLimits } from './validatePayload.js'
import { verifyOrigin } from './verifyOrigin.js'

export interface HandlerOptions extends KeyOptions {
  /** Endpoint prefix; calls arrive at `<base>/<id>`. Default `/_server`. */
  base?: string
  /**
   * Finds the function for an id. Default: the resolver the Vite plugin installed (its dev
   * catalog, or the build's manifest), which is then the only authority on what is callable;
   * without one, the functions registered in this process.
   */
  resolve?: ServerFunctionResolver
  /** Origins allowed besides the page's own: `example.com`, `*.example.com`, `https://host:port`. */
  allowedOrigins?: string[]
  /** Largest request body in bytes. Default 1 MB. */
  bodyLimit?: number
  /** Longest time to receive a body, in ms. Default 10 000. */
  bodyTimeout?: number
  /** Longest time a function may run, in ms, before the client gets a 504. Default: no limit. */
  timeout?: number
  /** Limits on the decoded arguments. */
  limits?: Partial<DecodeLimits>
  /** Development sends messages and stacks of unexpected errors. Default: `NODE_ENV !== 'production'`. */
  dev?: boolean
  /** Where unexpected errors are reported. Default: `console.error`. */
  onError?: (error: unknown, info: { id: string; name: string; digest: string }) => void
  /** Told about every revalidation, to purge server-side caches. */
  onRevalidate?: (revalidated: { paths: string[]; tags: string[] }, request: Request) => void
}

interface Resolved {
  base: string
  resolve: ServerFunctionResolver
  allowedOrigins: string[]
  bodyLimit: number
  bodyTimeout: number
  timeout: number | undefined
  limits: DecodeLimits
  dev: boolean
  ring: () => Promise<KeyRing>
  options: HandlerOptions
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/
const resolvedOptions = new WeakMap<HandlerOptions, Resolved>()
const defaultOptions: HandlerOptions = {}

function resolveOptions(options: HandlerOptions): Resolved {
  let resolved = resolvedOptions.get(options)
  if (!resolved) {
    const dev = options.dev ?? (typeof process !== 'undefined' && process.env.NODE_ENV !== 'production')
    resolved = {
      base: (options.base ?? '/_server').replace(/\/+$/, ''),
      resolve: options.resolve ?? resolveServerFunction,
      allowedOrigins: options.allowedOrigins ?? [],
      bodyLimit: options.bodyLimit ?? 1024 * 1024,
      bodyTimeout: options.bodyTimeout ?? 10_000,
      timeout: options.timeout,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      dev,
      ring: () => getKeyRing(options, dev),
      options,
    }
    resolvedOptions.set(options, resolved)
  }
  return resolved
}

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
export async function handleServerFunction(request: Request, options: HandlerOptions = defaultOptions): Promise<Response> {
  const o = resolveOptions(options)
  if (request.method !== 'POST') {
    return errorResponse(405, 'METHOD_NOT_ALLOWED', 'Server functions are called with POST only.', { allow: 'POST' })
  }
  const forbidden = verifyOrigin(request, o.allowedOrigins)
  if (forbidden) return errorResponse(403, 'FORBIDDEN', `Cross-site call refused: ${forbidden}.`)
  const id = functionIdFromUrl(request.url, o.base)
  const entry = id ? await o.resolve(id) : undefined
  if (!id || !entry) return errorResponse(404, 'NOT_FOUND', 'There is no server function with this id.')
  const contentType = request.headers.get('content-type') ?? ''
  if (!contentType.startsWith('application/json') && !contentType.startsWith('multipart/form-data')) {
    return errorResponse(415, 'UNSUPPORTED_MEDIA_TYPE', `A call must be sent as application/json or multipart/form-data, not ${JSON.stringify(contentType.slice(0, 60) || '(none)')}.`)
  }

  const revive = reviver(o)
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
async function callServerFunction(o: Resolved, id: string, entry: ServerFunctionEntry, args: unknown[], request: Request): Promise<Response> {
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
        fail: (error) => errorEnvelope(o, id, entry, error).envelope,
        revalidated: () => revalidations(o, context, request),
      }, () => responseHeaders(context.cookies.setCookieHeaders()))
    }
    envelope = { value }
  } catch (error) {
    ;({ envelope, status } = errorEnvelope(o, id, entry, error))
  }
  const revalidated = revalidations(o, context, request)
  if (revalidated) envelope.revalidated = revalidated

  const files: Blob[] = []
  let text: string
  try {
    text = await encodeServerValue(envelope, await o.ring(), files, 'result', (path) => `result${path.replace(/^\.value/, '')}`)
  } catch (error) {
    if (!(error instanceof UnsendableValueError)) throw error
    ;({ envelope, status } = errorEnvelope(o, id, entry, error))
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

function errorEnvelope(o: Resolved, id: string, entry: ServerFunctionEntry, error: unknown): { envelope: Envelope; status: number } {
  if (isRedirectError(error)) return { envelope: { redirect: { url: error.url, status: error.status } }, status: 200 }
  if (isServerFunctionError(error)) return { envelope: { error: { message: error.message, code: error.code } }, status: error.status }
  if (error instanceof TimeoutError) return { envelope: { error: { message: error.message, code: 'TIMEOUT' } }, status: 504 }
  const digest = Array.from(crypto.getRandomValues(new Uint8Array(5)), (b) => b.toString(16).padStart(2, '0')).join('')
  if (o.options.onError) o.options.onError(error, { id, name: entry.name, digest })
  else console.error(`use-server: server function "${entry.name}" (${id}) failed [digest ${digest}]`, error)
  const message = o.dev && error instanceof Error ? error.message : `The server function failed. Look for digest ${digest} in the server logs.`
  const stack = o.dev && error instanceof Error ? error.stack : undefined
  return { envelope: { error: { message, code: 'INTERNAL_ERROR', digest, stack } }, status: 500 }
}

/** The call's revalidations, if any, after telling the server-side hook about them. */
function revalidations(o: Resolved, context: RequestContext, request: Request): Envelope['revalidated'] {
  const { paths, tags } = context.revalidated
  if (paths.size + tags.size === 0) return undefined
  const revalidated = { paths: [...paths], tags: [...tags] }
  o.options.onRevalidate?.(revalidated, request)
  return revalidated
}

class TimeoutError extends Error {}

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

/** Server-bound values for a call: the opened token, checked against what the function expects. */
async function openBound(o: Resolved, id: string, entry: ServerFunctionEntry, token: string | undefined, revive: ReviveReference): Promise<unknown[]> {
  const expected = entry.boundCount ?? 0
  if (token === undefined) {
    if (expected > 0) throw new PayloadError('this server function needs the values bound to it; call it through the reference the server gave you')
    return []
  }
  const plain = await openBoundValues(await o.ring(), id, token)
  if (plain === undefined) throw new PayloadError('the bound-values token is invalid (tampered, truncated, made for another function, or sealed with a key this server does not have)')
  const values = decodeServerValue(plain, o.limits, new Map(), revive)
  if (!Array.isArray(values) || values.length < expected) throw new PayloadError('the bound-values token does not hold the values this function needs')
  return values
}

/** Client-sent references become callable functions that go through the same checks when called. */
function reviver(o: Resolved): ReviveReference {
  const revive: ReviveReference = ({ id, token, bound = [] }: ReferencePayload) =>
    mark(
      async (...args: unknown[]) => {
        const entry = await o.resolve(id)
        if (!entry) throw new ServerFunctionError('A server function passed as an argument does not exist.', { code: 'NOT_FOUND', status: 404 })
        let serverBound: unknown[]
        try {
          serverBound = await openBound(o, id, entry, token, revive)
        } catch (error) {
          if (error instanceof PayloadError) throw new ServerFunctionError(`A server function passed as an argument was refused: ${error.message}.`, { code: 'BAD_REQUEST', status: 400 })
          throw error
        }
        return entry.fn(...serverBound, ...bound, ...args)
      },
      id,
      null,
      { token, bound },
    )
  return revive
}
