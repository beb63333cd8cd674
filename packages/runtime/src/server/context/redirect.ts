const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

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
 */
export function redirect(url: string | URL, options: { status?: number } = {}): never {
  const status = options.status ?? 303
  if (!REDIRECT_STATUSES.has(status)) throw new TypeError(`redirect() status must be 301, 302, 303, 307 or 308, not ${status}.`)
  const target = String(url)
  if (/[\u0000-\u001f]/.test(target)) throw new TypeError('redirect() URL may not contain control characters.')
  throw new RedirectSignal(target, status)
}

export function isRedirectError(error: unknown): error is RedirectSignal {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true
}
