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

import { ServerFunctionError } from '../../shared/ServerFunctionError.js'

// RFC 6265 token characters for names; attribute values may not break out of their attribute.
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const ATTRIBUTE_VALUE = /^[^\u0000-\u001f\u007f;]*$/
/** Browsers ignore a cookie whose name and value together pass 4096 bytes. */
const MAX_COOKIE_BYTES = 4096
const PRIORITIES = new Set(['low', 'medium', 'high'])
const utf8 = new TextEncoder()

/**
 * A cookie that cannot be written: often a value that came from a request, so it is answered as an
 * expected error (400, INVALID_COOKIE) with the reason, never as a server failure.
 */
function invalidCookie(message: string): ServerFunctionError {
  return new ServerFunctionError(message, { code: 'INVALID_COOKIE', status: 400 })
}

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
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw invalidCookie(`Invalid value for cookie "${name}": it is ${v === null ? 'null' : typeof v}, not a string.`)
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

/** A `Set-Cookie` value; anything that cannot be written throws an INVALID_COOKIE ServerFunctionError. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (typeof name !== 'string' || !NAME.test(name)) throw invalidCookie(`Invalid cookie name ${shown(name)}: use letters, digits and !#$%&'*+-.^_\`|~ only.`)
  let encoded: string
  try {
    encoded = encodeURIComponent(value)
  } catch {
    throw invalidCookie(`Invalid value for cookie "${name}": it contains a lone surrogate (broken UTF-16 text).`)
  }
  const size = utf8.encode(name).length + encoded.length
  if (size > MAX_COOKIE_BYTES) throw invalidCookie(`Cookie "${name}" is ${size} bytes encoded, over the ${MAX_COOKIE_BYTES} bytes browsers keep.`)
  let header = `${name}=${encoded}; Path=${checked('path', options.path ?? '/')}`
  if (options.domain) header += `; Domain=${checked('domain', options.domain)}`
  if (options.maxAge !== undefined) {
    if (typeof options.maxAge !== 'number' || !Number.isFinite(options.maxAge)) throw invalidCookie(`Invalid cookie maxAge ${shown(options.maxAge)} for "${name}": give whole seconds.`)
    header += `; Max-Age=${Math.floor(options.maxAge)}`
  }
  if (options.expires !== undefined) {
    const expires = new Date(options.expires)
    if (Number.isNaN(expires.getTime())) throw invalidCookie(`Invalid cookie expires ${shown(options.expires)} for "${name}": give a Date or a timestamp.`)
    header += `; Expires=${expires.toUTCString()}`
  }
  if (options.httpOnly) header += '; HttpOnly'
  const sameSite = options.sameSite === true ? 'strict' : options.sameSite || undefined
  if (sameSite) {
    if (!['lax', 'strict', 'none'].includes(sameSite)) throw invalidCookie(`Invalid cookie sameSite ${shown(sameSite)} for "${name}": use 'lax', 'strict' or 'none'.`)
    if (sameSite === 'none' && !options.secure) throw invalidCookie(`Cookie "${name}" has sameSite 'none' without secure: browsers reject it. Add secure: true.`)
    header += `; SameSite=${sameSite[0]!.toUpperCase()}${sameSite.slice(1)}`
  }
  if (options.secure) header += '; Secure'
  if (options.partitioned) {
    if (!options.secure) throw invalidCookie(`Cookie "${name}" is partitioned without secure: browsers reject it. Add secure: true.`)
    header += '; Partitioned'
  }
  if (options.priority) {
    if (!PRIORITIES.has(options.priority)) throw invalidCookie(`Invalid cookie priority ${shown(options.priority)} for "${name}": use 'low', 'medium' or 'high'.`)
    header += `; Priority=${options.priority[0]!.toUpperCase()}${options.priority.slice(1)}`
  }
  return header

  function checked(attribute: string, text: string): string {
    if (typeof text !== 'string' || !ATTRIBUTE_VALUE.test(text)) throw invalidCookie(`Invalid cookie ${attribute} ${shown(text)} for "${name}": it may not contain ';' or control characters.`)
    return text
  }
}

/** A value for an error message: strings quoted and cut, anything else by its type. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  return typeof value === 'number' ? String(value) : typeof value
}

function decode(value: string): string {
  const unquoted = value.length > 1 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value
  try {
    return decodeURIComponent(unquoted)
  } catch {
    return unquoted
  }
}
