import type { IncomingCall } from '../request/incomingCall.js'

export interface OriginPolicy {
  /** Origins allowed besides the server's own: `example.com`, `*.example.com`, `https://host:port`. */
  allowedOrigins: readonly string[]
  /** Whether `X-Forwarded-Proto` and `X-Forwarded-Host` say what the server's public origin is. */
  trustProxy: boolean
}

/**
 * CSRF check for a call. Browsers send `Sec-Fetch-Site`; where it is present only `same-origin`
 * passes (or an origin listed in `allowedOrigins`). Without it (older browsers), the `Origin` header,
 * else the `Referer`, must be the server's own origin, scheme included: the connection's scheme and
 * the Host header, or `X-Forwarded-Proto`/`-Host` when the policy trusts a proxy. `Origin: null`
 * (sandboxed frames, some redirects) never passes. A request with none of these headers does not
 * come from a browser page and so cannot be a cross-site forgery. Returns null when allowed, else
 * the reason.
 */
export function verifyOrigin(call: Pick<IncomingCall, 'header' | 'url' | 'protocol'>, policy: OriginPolicy): string | null {
  const site = call.header('sec-fetch-site')
  const origin = call.header('origin')
  if (origin === 'null') return 'the request has "Origin: null" (a sandboxed or privacy-redirected page), which cannot be trusted'
  if (site === 'same-origin') return null
  if (origin && isAllowed(origin, policy.allowedOrigins)) return null
  if (site) return `the request is ${site} (Sec-Fetch-Site) and its origin ${origin ?? '(none)'} is not in allowedOrigins`
  const header = origin ? 'Origin' : 'Referer'
  const claimed = origin ?? call.header('referer')
  if (!claimed) return null
  const claimedOrigin = originOf(claimed)
  if (claimedOrigin === null) return `the ${header} header ${JSON.stringify(claimed.slice(0, 100))} is not a URL`
  if (!origin && isAllowed(claimedOrigin, policy.allowedOrigins)) return null
  const own = ownOrigin(call, policy.trustProxy)
  if (claimedOrigin === own) return null
  const fix = policy.trustProxy ? 'add it to allowedOrigins' : 'behind a proxy that terminates TLS or rewrites the host, set trustProxy (X-Forwarded-Proto and -Host), or add the origin to allowedOrigins'
  return `its ${header} ${claimedOrigin} is not this server's origin ${own}; ${fix}`
}

/** The server's origin as the browser sees it: scheme and host, normalised (default ports dropped). */
function ownOrigin(call: Pick<IncomingCall, 'header' | 'url' | 'protocol'>, trustProxy: boolean): string {
  const forwarded = (name: string) => (trustProxy ? call.header(name)?.split(',')[0]?.trim() || undefined : undefined)
  const forwardedProtocol = forwarded('x-forwarded-proto')
  const protocol = forwardedProtocol === 'https' || forwardedProtocol === 'http' ? forwardedProtocol : call.protocol
  const host = forwarded('x-forwarded-host') ?? call.header('host') ?? hostOf(call.url)
  return originOf(`${protocol}://${host}`) ?? `${protocol}://(no usable Host header)`
}

// What the URL parser makes of an origin, kept for the few texts a server sees (its own origin and
// its pages'): parsing two URLs was a tenth of a trivial call for browsers that send no
// Sec-Fetch-Site. The answer depends on the text alone; the table is emptied when it grows.
const origins = new Map<string, string | null>()
const MAX_ORIGINS = 256

/** `new URL(text).origin`, or null when `text` is not a URL. */
function originOf(text: string): string | null {
  let origin = origins.get(text)
  if (origin !== undefined) return origin
  try {
    origin = new URL(text).origin
  } catch {
    origin = null
  }
  if (origins.size >= MAX_ORIGINS) origins.clear()
  if (text.length <= 1024) origins.set(text, origin)
  return origin
}

function isAllowed(origin: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => originMatches(origin, pattern))
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
