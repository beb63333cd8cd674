import type { IncomingCall } from '../request/incomingCall.js'

/**
 * CSRF check for a call. Browsers send `Sec-Fetch-Site`; where it is present only `same-origin`
 * passes (or an origin listed in `allowedOrigins`). Without it, `Origin` must match the host the
 * request was sent to (`X-Forwarded-Host`, else `Host`). `Origin: null` (sandboxed frames, some
 * redirects) never passes. A request with neither header does not come from a browser page and
 * so cannot be a cross-site forgery. Returns null when allowed, else the reason.
 */
export function verifyOrigin(call: Pick<IncomingCall, 'header' | 'url'>, allowedOrigins: readonly string[]): string | null {
  const site = call.header('sec-fetch-site')
  const origin = call.header('origin')
  if (origin === 'null') return 'the request has "Origin: null" (a sandboxed or privacy-redirected page), which cannot be trusted'
  if (site === 'same-origin') return null
  if (origin && allowedOrigins.some((pattern) => originMatches(origin, pattern))) return null
  if (site) return `the request is ${site} (Sec-Fetch-Site) and its origin ${origin ?? '(none)'} is not in allowedOrigins`
  if (!origin) return null
  let originHost: string
  try {
    originHost = new URL(origin).host
  } catch {
    return `the Origin header ${JSON.stringify(origin.slice(0, 100))} is not a URL`
  }
  const host = call.header('x-forwarded-host')?.split(',')[0]?.trim() || call.header('host') || hostOf(call.url)
  if (originHost === host) return null
  return `its origin ${origin} does not match the host ${host}; add the origin to allowedOrigins if a proxy rewrites the host`
}

/** `example.com`, `*.example.com` (any subdomain) or a full origin `https://app.example.com:8443`. */
function originMatches(origin: string, pattern: string): boolean {
  if (pattern.includes('://')) return origin === pattern.replace(/\/+$/, '')
  let host: string
  try {
    host = new URL(origin).host
  } catch {
    return false
  }
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1
  return host === pattern
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return '' // a path without a Host header: nothing can match
  }
}
