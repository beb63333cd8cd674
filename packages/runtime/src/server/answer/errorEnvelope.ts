import { isServerFunctionError, ServerFunctionError } from '../../shared/ServerFunctionError.js'
import type { Envelope } from '../../shared/protocol.js'
import { isValidationError } from '../../shared/ValidationError.js'
import type { ResolvedHandlerOptions } from '../handlerOptions.js'
import { isRedirectError } from '../context/redirect.js'
import { TimeoutError } from './withTimeout.js'

/**
 * What a caller learns of a function that did not return: a redirect, an expected error (message
 * and code, in any mode), a timeout, or anything else, which is logged in full under a digest and
 * reaches the client as that digest only in production (message and stack in development).
 */
export function errorEnvelope(o: ResolvedHandlerOptions, id: string, name: string, error: unknown): { envelope: Envelope; status: number } {
  if (isRedirectError(error)) return { envelope: { redirect: { url: error.url, status: error.status } }, status: 200 }
  if (isValidationError(error)) {
    const issues = error.issues.map(({ message, path }) => ({ message, path: [...path] }))
    const fieldErrors = { ...(error.fieldErrors as Record<string, string[]>) }
    return { envelope: { error: { message: error.message, code: error.code, name: 'ValidationError', issues, fieldErrors, formErrors: error.formErrors } }, status: error.status }
  }
  if (isServerFunctionError(error)) return { envelope: { error: { message: error.message, code: error.code } }, status: error.status }
  if (error instanceof TimeoutError) return { envelope: { error: { message: error.message, code: 'TIMEOUT' } }, status: 504 }
  const digest = Array.from(crypto.getRandomValues(new Uint8Array(5)), (b) => b.toString(16).padStart(2, '0')).join('')
  if (o.options.onError) o.options.onError(error, { id, name, digest })
  else console.error(`use-server: server function "${name}" (${id}) failed [digest ${digest}]`, error)
  const message = o.dev && error instanceof Error ? error.message : `The server function failed. Look for digest ${digest} in the server logs.`
  const stack = o.dev && error instanceof Error ? error.stack : undefined
  return { envelope: { error: { message, code: 'INTERNAL_ERROR', digest, stack } }, status: 500 }
}

/**
 * The error a page renders after a form posted without JavaScript failed: the error itself in
 * development or when the app meant it for the user (a ServerFunctionError), else one that carries
 * only the digest, as a call from JavaScript gets.
 */
export function pageError(o: ResolvedHandlerOptions, error: unknown, { error: sent }: Envelope): unknown {
  if (o.dev || !sent || isServerFunctionError(error)) return error
  return new ServerFunctionError(sent.message, { code: sent.code, status: 500, digest: sent.digest })
}
