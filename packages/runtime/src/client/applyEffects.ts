import { isHttpUrl } from '../shared/isHttpUrl.js'
import { ServerFunctionError } from '../shared/ServerFunctionError.js'
import type { Envelope } from '../shared/protocol.js'
import { config } from './config.js'

/**
 * Tells the page about revalidations and follows a redirect; returns the envelope's value. A
 * redirect anywhere but an http(s) URL or a path (`javascript:`, `data:`) is refused, whatever the
 * server sent.
 */
export function applyEffects({ value, redirect, revalidated }: Envelope): unknown {
  if (revalidated) {
    config.onRevalidate?.(revalidated)
    globalThis.dispatchEvent?.(new CustomEvent('use-server:revalidate', { detail: revalidated }))
  }
  if (redirect) {
    if (!isHttpUrl(redirect.url, globalThis.location?.href ?? 'http://localhost/')) {
      throw new ServerFunctionError(`Refused to follow a redirect to ${redirect.url.slice(0, 80)}: only http(s) URLs and paths are followed.`, { code: 'INVALID_REDIRECT', status: 0 })
    }
    config.onRedirect(redirect.url, redirect.status)
  }
  return value
}
