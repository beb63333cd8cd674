import { isHttpUrl } from '../../shared/isHttpUrl.js'
import { ServerFunctionError } from '../../shared/ServerFunctionError.js'

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
// C0 controls, DEL and C1 controls: never part of a URL, and a way to smuggle a scheme or a header.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
/** What a Location header cannot carry as is: spaces and everything past ASCII (U+2028 included). */
const NOT_VISIBLE_ASCII = /[^\x21-\x7e]/gu

// Recognized by a brand rather than `instanceof`: the module throwing it may be another copy.
const BRAND = Symbol.for('use-server.redirect')

/** Thrown by `redirect()`; the handler turns it into a redirect, so code after the call never runs. */
export class RedirectSignal extends Error {
  override name = 'RedirectSignal'
  readonly [BRAND] = true
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`Redirect to ${url}`)
  }
}

/**
 * Ends the current server function with a redirect: a JavaScript call navigates there on the client
 * (`configure({ onRedirect })` to route it yourself), a form post without JavaScript gets a 303.
 * It throws: call `revalidatePath` / `revalidateTag` before it, and do not swallow it in a
 * `catch` (`isRedirectError(error)` tells it apart).
 *
 * Only http(s) URLs and paths are followed, so a `next` parameter a user typed cannot become a
 * `javascript:` link: any other target is refused with a ServerFunctionError (400, INVALID_REDIRECT).
 * Characters a Location header cannot carry are percent-encoded.
 */
export function redirect(url: string | URL, options: { status?: number } = {}): never {
  const status = options.status ?? 303
  if (!REDIRECT_STATUSES.has(status)) throw new TypeError(`redirect() status must be 301, 302, 303, 307 or 308, not ${status}.`)
  throw new RedirectSignal(redirectTarget(typeof url === 'string' ? url : url.href), status)
}

/** `url` as it may travel to the client and into a Location header, or a refusal saying why. */
export function redirectTarget(url: string): string {
  const refuse = (why: string) =>
    new ServerFunctionError(`Refused to redirect to ${JSON.stringify(url.length > 80 ? `${url.slice(0, 80)}…` : url)}: ${why}.`, { code: 'INVALID_REDIRECT', status: 400 })
  if (typeof url !== 'string') throw new TypeError(`redirect() takes a URL or a string, not ${typeof url}.`)
  if (CONTROL.test(url)) throw refuse('it contains control characters')
  if (!isHttpUrl(url, 'http://relative.invalid/')) throw refuse('only http(s) URLs and paths are followed')
  try {
    return url.replace(NOT_VISIBLE_ASCII, encodeURIComponent)
  } catch {
    throw refuse('it contains a lone surrogate (broken UTF-16)')
  }
}

export function isRedirectError(error: unknown): error is RedirectSignal {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true
}
