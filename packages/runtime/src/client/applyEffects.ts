import type { Envelope } from '../shared/protocol.js'
import { config } from './config.js'

/** Tells the page about revalidations and follows a redirect; returns the envelope's value. */
export function applyEffects({ value, redirect, revalidated }: Envelope): unknown {
  if (revalidated) {
    config.onRevalidate?.(revalidated)
    globalThis.dispatchEvent?.(new CustomEvent('use-server:revalidate', { detail: revalidated }))
  }
  if (redirect) config.onRedirect(redirect.url, redirect.status)
  return value
}
