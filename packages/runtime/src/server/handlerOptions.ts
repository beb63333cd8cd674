import { getKeyRing, type KeyOptions, type KeyRing } from './security/keys.js'
import { isDevelopment } from './serverConfig.js'
import { resolveServerFunction, type ServerFunctionResolver } from './references/registry.js'
import { DEFAULT_LIMITS, type DecodeLimits } from './request/validatePayload.js'
import { resolveEventsOptions, type EventsOptions, type ResolvedEventsOptions } from './events/eventsOptions.js'

export interface HandlerOptions extends KeyOptions {
  /** Endpoint prefix; calls arrive at `<base>/<id>`. Default `/_server`. */
  base?: string
  /**
   * Finds the function for an id. Default: the resolver the Vite plugin installed (its dev
   * catalog, or the build's registry), which is then the only authority on what is callable;
   * without one, the functions registered in this process.
   */
  resolve?: ServerFunctionResolver
  /** Origins allowed besides the page's own: `example.com`, `*.example.com`, `https://host:port`. */
  allowedOrigins?: string[]
  /**
   * The server runs behind a proxy whose `X-Forwarded-Proto` and `X-Forwarded-Host` headers give the
   * public origin (for the cross-site check). Only set it when the proxy always sets or overwrites
   * them. Default false.
   */
  trustProxy?: boolean
  /** Largest request body in bytes. Default 1 MB. */
  bodyLimit?: number
  /** Longest time to receive a body, in ms. Default 10 000. */
  bodyTimeout?: number
  /** Longest time a function may run, in ms, before the client gets a 504. Default: no limit. */
  timeout?: number
  /** Limits on the decoded arguments. */
  limits?: Partial<DecodeLimits>
  /**
   * Development sends messages and stacks of unexpected errors. Default: `configureServer()`'s `dev`,
   * else false except under the Vite dev server (never read from `NODE_ENV`, which a Worker does not have).
   */
  dev?: boolean
  /** Where unexpected errors are reported. Default: `console.error`. */
  onError?: (error: unknown, info: { id: string; name: string; digest: string }) => void
  /**
   * Loads the data of the page at a request's URL (an SSR app's loader). `createRequestHandler`
   * renders with it, and a call that revalidates the page's path gets it fresh in the same response.
   */
  pageData?: (request: Request) => unknown
  /** Told about every revalidation this server makes (after `cached()` values are dropped), to purge other caches or log. */
  onRevalidate?: (revalidated: { paths: string[]; tags: string[] }, request: Request) => void
  /**
   * Push revalidations to open browsers: `GET <base>/$events` streams every revalidation of every
   * instance (through the cache store) to pages that called `connectRevalidations()`. Default false.
   */
  events?: boolean | EventsOptions
}

export interface ResolvedHandlerOptions {
  base: string
  resolve: ServerFunctionResolver
  allowedOrigins: string[]
  trustProxy: boolean
  bodyLimit: number
  bodyTimeout: number
  timeout: number | undefined
  limits: DecodeLimits
  events: ResolvedEventsOptions | undefined
  /** Read on each use: `configureServer()` may be called after the first request. */
  readonly dev: boolean
  ring: () => Promise<KeyRing>
  options: HandlerOptions
}

const resolvedOptions = new WeakMap<HandlerOptions, ResolvedHandlerOptions>()
const defaultOptions: HandlerOptions = {}

/** Options with defaults filled in, computed once per options object. */
export function resolveHandlerOptions(options: HandlerOptions = defaultOptions): ResolvedHandlerOptions {
  let resolved = resolvedOptions.get(options)
  if (!resolved) {
    resolved = {
      base: (options.base ?? '/_server').replace(/\/+$/, ''),
      resolve: options.resolve ?? resolveServerFunction,
      allowedOrigins: options.allowedOrigins ?? [],
      trustProxy: options.trustProxy ?? false,
      bodyLimit: options.bodyLimit ?? 1024 * 1024,
      bodyTimeout: options.bodyTimeout ?? 10_000,
      timeout: options.timeout,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      events: resolveEventsOptions(options.events),
      // Read on every use: the dev server or configureServer() may set the mode after a handler was made.
      get dev() {
        return isDevelopment(options.dev)
      },
      ring: () => getKeyRing(options, isDevelopment(options.dev)),
      options,
    }
    resolvedOptions.set(options, resolved)
  }
  return resolved
}
