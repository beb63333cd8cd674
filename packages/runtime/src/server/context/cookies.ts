export interface CookieOptions {
  /** Default `/`, so a cookie set by a call to `/_server/…` applies to the pages. */
  path?: string
  domain?: string
  /** Seconds; 0 or negative deletes. */
  maxAge?: number
  expires?: Date | number
  httpOnly?: boolean
  secure?: boolean
  sameSite?: 'lax' | 'strict' | 'none' | boolean
  partitioned?: boolean
  priority?: 'low' | 'medium' | 'high'
}

export interface Cookie {
  name: string
  value: string
}

// RFC 6265 token characters for names; attribute values may not break out of their attribute.
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const ATTRIBUTE_VALUE = /^[^\u0000-\u001f\u007f;]*$/

/**
 * The cookies of the current call: read from the request, written to the response. Reads see
 * writes made earlier in the same call. Values are URI-encoded on the wire and decoded on read.
 */
export class CookieStore {
  private readonly current = new Map<string, string>()
  private readonly outgoing = new Map<string, string>()
  private sealedBecause: string | undefined

  constructor(header: string | null) {
    for (const pair of header?.split(';') ?? []) {
      const eq = pair.indexOf('=')
      if (eq < 0) continue
      const name = pair.slice(0, eq).trim()
      if (name && !this.current.has(name)) this.current.set(name, decode(pair.slice(eq + 1).trim()))
    }
  }

  get(name: string): Cookie | undefined {
    const value = this.current.get(name)
    return value === undefined ? undefined : { name, value }
  }

  getAll(name?: string): Cookie[] {
    return [...this.current].filter(([n]) => name === undefined || n === name).map(([n, value]) => ({ name: n, value }))
  }

  has(name: string): boolean {
    return this.current.has(name)
  }

  set(name: string, value: string, options?: CookieOptions): this
  set(cookie: Cookie & CookieOptions): this
  set(nameOrCookie: string | (Cookie & CookieOptions), value?: string, options: CookieOptions = {}): this {
    if (this.sealedBecause) throw new Error(`use-server: cookies cannot be set now: ${this.sealedBecause}.`)
    const { name, value: v, ...attributes } = typeof nameOrCookie === 'string' ? { name: nameOrCookie, value: value ?? '', ...options } : nameOrCookie
    const header = serializeCookie(name, String(v), attributes)
    const expired = (attributes.maxAge !== undefined && attributes.maxAge <= 0) || (attributes.expires !== undefined && +attributes.expires <= Date.now())
    if (expired) this.current.delete(name)
    else this.current.set(name, String(v))
    this.outgoing.set(`${name};${attributes.path ?? '/'};${attributes.domain ?? ''}`, header)
    return this
  }

  delete(nameOrOptions: string | { name: string; path?: string; domain?: string }): this {
    const { name, ...scope } = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : nameOrOptions
    return this.set(name, '', { ...scope, maxAge: 0, expires: 0 })
  }

  /** Refuses later writes (the response headers are gone), saying why. */
  seal(reason: string): void {
    this.sealedBecause = reason
  }

  /** `Set-Cookie` header values for the response, one per cookie written. */
  setCookieHeaders(): string[] {
    return [...this.outgoing.values()]
  }
}

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!NAME.test(name)) throw new TypeError(`Invalid cookie name ${JSON.stringify(name)}: use letters, digits and !#$%&'*+-.^_\`|~ only.`)
  let header = `${name}=${encodeURIComponent(value)}; Path=${checked('path', options.path ?? '/')}`
  if (options.domain) header += `; Domain=${checked('domain', options.domain)}`
  if (options.maxAge !== undefined) {
    if (!Number.isFinite(options.maxAge)) throw new TypeError(`Invalid cookie maxAge ${options.maxAge} for "${name}": give whole seconds.`)
    header += `; Max-Age=${Math.floor(options.maxAge)}`
  }
  if (options.expires !== undefined) header += `; Expires=${new Date(options.expires).toUTCString()}`
  if (options.httpOnly) header += '; HttpOnly'
  const sameSite = options.sameSite === true ? 'strict' : options.sameSite || undefined
  if (sameSite) {
    if (!['lax', 'strict', 'none'].includes(sameSite)) throw new TypeError(`Invalid cookie sameSite ${JSON.stringify(sameSite)} for "${name}": use 'lax', 'strict' or 'none'.`)
    if (sameSite === 'none' && !options.secure) throw new TypeError(`Cookie "${name}" has sameSite 'none' without secure: browsers reject it. Add secure: true.`)
    header += `; SameSite=${sameSite[0]!.toUpperCase()}${sameSite.slice(1)}`
  }
  if (options.secure) header += '; Secure'
  if (options.partitioned) {
    if (!options.secure) throw new TypeError(`Cookie "${name}" is partitioned without secure: browsers reject it. Add secure: true.`)
    header += '; Partitioned'
  }
  if (options.priority) header += `; Priority=${options.priority[0]!.toUpperCase()}${options.priority.slice(1)}`
  return header

  function checked(attribute: string, text: string): string {
    if (!ATTRIBUTE_VALUE.test(text)) throw new TypeError(`Invalid cookie ${attribute} ${JSON.stringify(text)} for "${name}": it may not contain ';' or control characters.`)
    return text
  }
}

function decode(value: string): string {
  const unquoted = value.length > 1 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value
  try {
    return decodeURIComponent(unquoted)
  } catch {
    return unquoted
  }
}
