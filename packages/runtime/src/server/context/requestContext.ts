import { AsyncLocalStorage } from 'node:async_hooks'
import { pagePath } from '../../shared/pagePath.js'
import { CookieStore } from './cookies.js'
import { incomingFromRequest, type IncomingCall } from '../request/incomingCall.js'

/** Tags and paths, as sets while a function runs. */
export interface DependencySets {
  tags: Set<string>
  paths: Set<string>
}

/** A query the server ran for the page it renders (`loadQuery`), handed to the browser with the page. */
export interface LoadedQuery {
  fn: Function
  args: unknown[]
  value: unknown
  tags: string[]
  paths: string[]
}

/** What a server render loaded for the browser: its queries, and the page's own data. */
export interface LoadedData {
  queries: LoadedQuery[]
  page?: { path: string; data: unknown; tags: string[]; paths: string[] }
}

/** Everything the request-scoped functions (`cookies()`, `headers()`, `revalidatePath()`…) work on. */
export interface RequestContext {
  readonly incoming: IncomingCall
  /** The request's cookies, parsed on first use; writes become Set-Cookie headers. */
  readonly cookies: CookieStore
  /** Whether `cookies` was ever used (nothing to send otherwise). */
  readonly cookiesUsed: boolean
  readonly revalidated: DependencySets
  /** What the running function declared it depends on (`cacheTag`, `cachePath`). */
  readonly dependencies: DependencySets
  /** Queries and page data loaded for the browser during this request. */
  readonly loaded: LoadedData
}

// Shared through globalThis, like the registry: every copy of this module must see the same request.
const storage: AsyncLocalStorage<RequestContext> = ((globalThis as Record<symbol, AsyncLocalStorage<RequestContext>>)[
  Symbol.for('use-server.requestStorage')
] ??= new AsyncLocalStorage<RequestContext>())

/** A context per call; a class (not an object literal with getters), as it is made for every call. */
class CallContext implements RequestContext {
  #cookies: CookieStore | undefined
  #dependencies: DependencySets | undefined
  #loaded: LoadedData | undefined
  readonly revalidated = { paths: new Set<string>(), tags: new Set<string>() }

  constructor(readonly incoming: IncomingCall) {}

  get dependencies(): DependencySets {
    return (this.#dependencies ??= { tags: new Set(), paths: new Set() })
  }

  get loaded(): LoadedData {
    return (this.#loaded ??= { queries: [] })
  }

  get cookies(): CookieStore {
    return (this.#cookies ??= new CookieStore(this.incoming.header('cookie')))
  }

  get cookiesUsed(): boolean {
    return this.#cookies !== undefined
  }
}

export function createRequestContext(request: Request | IncomingCall): RequestContext {
  return new CallContext(request instanceof Request ? incomingFromRequest(request) : request)
}

/** The Set-Cookie headers a context's writes call for. */
export function setCookiesOf(context: RequestContext): string[] {
  return context.cookiesUsed ? context.cookies.setCookieHeaders() : []
}

/**
 * Runs `fn` with `request` as the current request, so `cookies()` and `headers()` work inside it.
 * The handler does this for every call; use it yourself to read cookies while rendering a page.
 * Returns the result and the context (cookies written, paths revalidated).
 */
export function runWithRequest<T>(request: Request, fn: () => T, context = createRequestContext(request)): { result: T; context: RequestContext } {
  return { result: storage.run(context, fn), context }
}

/** Runs `fn` inside an existing context (each step of a streamed result). */
export function runInContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn)
}

/** The context of the request being handled, if any. */
export function currentContextOrUndefined(): RequestContext | undefined {
  return storage.getStore()
}

export function currentContext(api: string): RequestContext {
  const context = storage.getStore()
  if (!context) {
    throw new Error(
      `use-server: ${api} was called outside a server function call. It works on the request that called the function: call it inside a 'use server' function, or wrap your own request handling (an SSR render, say) in runWithRequest(request, fn).`,
    )
  }
  return context
}

/** The cookies of the current request; writes become `Set-Cookie` headers on its response. */
export function cookies(): CookieStore {
  return currentContext('cookies()').cookies
}

/** The current request's headers, read-only. */
export function headers(): Pick<Headers, 'get' | 'has' | 'forEach' | 'entries' | 'keys' | 'values' | typeof Symbol.iterator> {
  const source = currentContext('headers()').incoming.request.headers
  return {
    get: (name) => source.get(name),
    has: (name) => source.has(name),
    forEach: (callback, thisArg) => source.forEach(callback, thisArg),
    entries: () => source.entries(),
    keys: () => source.keys(),
    values: () => source.values(),
    [Symbol.iterator]: () => source[Symbol.iterator](),
  }
}

/** The Request being handled (URL, method, `signal` that aborts when the client goes away). */
export function getRequest(): Request {
  return currentContext('getRequest()').incoming.request
}

/** Marks a path's data as changed; the client hears of it and can refetch (`use-server:revalidate`). */
export function revalidatePath(path: string): void {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`revalidatePath() takes a path starting with "/", not ${JSON.stringify(path)}.`)
  currentContext('revalidatePath()').revalidated.paths.add(pagePath(path))
}

/** Marks every cached value with `tag` as changed; the client hears of it like `revalidatePath`. */
export function revalidateTag(tag: string): void {
  if (typeof tag !== 'string' || tag === '') throw new TypeError(`revalidateTag() takes a non-empty string, not ${JSON.stringify(tag)}.`)
  currentContext('revalidateTag()').revalidated.tags.add(tag)
}
