import { isHttpUrl } from '../shared/isHttpUrl.js'
import { ServerFunctionError } from '../shared/ServerFunctionError.js'
import type { Envelope, EnvelopeError } from '../shared/protocol.js'
import { config } from './config.js'
import { singleFlight } from './singleFlight.js'

/**
 * What an answer does before its call resolves: fresh query values and revalidations reach the
 * page's queries (`sent`: the queries the call listed), the page hears of revalidations, an error
 * becomes a ServerFunctionError, and a redirect is followed. A redirect anywhere but an http(s) URL
 * or a path (`javascript:`, `data:`) is refused, whatever the server sent. Returns the value
 * (LEAVING when the redirect left the page).
 */
export function applyEffects(envelope: Envelope, status: number, sent?: readonly unknown[]): unknown {
  const { value, error, redirect, revalidated } = envelope
  singleFlight.current?.settle(envelope, sent)
  if (revalidated) notifyRevalidated(revalidated)
  if (error) throw errorOf(error, status)
  if (redirect) {
    if (!isHttpUrl(redirect.url, globalThis.location?.href ?? 'http://localhost/')) {
      throw new ServerFunctionError(`Refused to redirect to ${redirect.url.slice(0, 80)}: not an http(s) URL or a path.`, { code: 'INVALID_REDIRECT', status: 0 })
    }
    if (config.onRedirect(redirect.url, redirect.status) === true) return LEAVING
  }
  return value
}

/** What a call resolves to when its redirect left the page: the caller's promise then never settles. */
export const LEAVING = Symbol('use-server.leaving')

/**
 * The error an answer carried, as the client throws it: a ServerFunctionError with what else the
 * server sent (a ValidationError's issues and field errors, worked out by the server, which
 * `isValidationError(error)` recognises by its code).
 */
export function errorOf({ message, code, digest, stack, ...details }: EnvelopeError, status: number): ServerFunctionError {
  return Object.assign(new ServerFunctionError(message, { code, status, digest, serverStack: stack }), details)
}

/** `configure({ onRevalidate })` and the `use-server:revalidate` event. */
export function notifyRevalidated(revalidated: NonNullable<Envelope['revalidated']>): void {
  config.onRevalidate?.(revalidated)
  globalThis.dispatchEvent?.(new CustomEvent('use-server:revalidate', { detail: revalidated }))
}
