import type { CacheStore } from './cache/cacheStore.js'
import { isDevelopmentProcess } from './developmentMode.js'
import { readKey } from './security/readKey.js'

/**
 * Settings for every handler of this process and for the tokens sealed while a page renders (bound
 * form actions, `clientDataScript`), which cannot see a handler's options. Set them once where the
 * environment is not `process.env`: a Worker passes its bindings, a Deno app `Deno.env`.
 */
export interface ServerConfig {
  /** base64 of 32 random bytes that seals bound values. Default: `USE_SERVER_KEY`; in development a random key per process. */
  key?: string
  /** Older keys that still open tokens (never seal), for rotation. Default: `USE_SERVER_PREVIOUS_KEYS`, comma-separated. */
  previousKeys?: string[]
  /** Keys the next deployment seals with: they open tokens already (never seal). Default: `USE_SERVER_NEXT_KEYS`, comma-separated. */
  nextKeys?: string[]
  /** Development: unexpected errors reach the caller with message and stack. Default: false, except in the Vite dev server. */
  dev?: boolean
  /**
   * Where `cached()` keeps values and through which revalidations reach every instance (and the
   * browsers connected to `<base>/$events`). Default: `memoryStore()`, this process only.
   */
  cache?: CacheStore
}

// Process-wide, like the registry: the copies of this module that a dev server, its SSR runner and
// a bundle may each load all read the one configuration.
const shared: { config: Readonly<ServerConfig> } = ((globalThis as Record<symbol, never>)[Symbol.for('use-server.config')] ??= { config: {} } as never)

/**
 * Replaces the server configuration of this process. Cheap and idempotent, so a Worker may call it
 * on every request with its bindings. A key that is not 32 bytes of base64 throws here, at once.
 * A handler's own `key`, `nextKeys`, `previousKeys` and `dev` options still win over these.
 */
export function configureServer(config: ServerConfig): void {
  if (typeof config !== 'object' || config === null) throw new TypeError('use-server: configureServer() takes an object: { key, nextKeys, previousKeys, dev, cache }.')
  const { key, nextKeys, previousKeys, dev, cache } = config
  const current = shared.config
  // A Worker calls this on every request with the same bindings: nothing to check again.
  if (key === current.key && dev === current.dev && cache === current.cache && sameKeys(nextKeys, current.nextKeys) && sameKeys(previousKeys, current.previousKeys)) return
  if (key !== undefined) readKey(key, 'configureServer({ key })')
  for (const [name, keys] of [['nextKeys', nextKeys], ['previousKeys', previousKeys]] as const) {
    if (keys === undefined) continue
    if (!Array.isArray(keys)) throw new TypeError(`use-server: configureServer({ ${name} }) must be an array of base64 keys.`)
    keys.forEach((other, i) => readKey(other, `configureServer({ ${name}[${i}] })`))
  }
  if (dev !== undefined && typeof dev !== 'boolean') throw new TypeError(`use-server: configureServer({ dev }) must be true or false, not ${JSON.stringify(dev)}.`)
  if (cache !== undefined && !isCacheStore(cache)) {
    throw new TypeError('use-server: configureServer({ cache }) must be a cache store (get, set, invalidate, publish, subscribe), such as memoryStore() or redisStore().')
  }
  shared.config = Object.freeze({ key, nextKeys: nextKeys && [...nextKeys], previousKeys: previousKeys && [...previousKeys], dev, cache })
}

const sameKeys = (a: string[] | undefined, b: string[] | undefined) => a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((key, i) => key === b[i]))

const isCacheStore = (store: unknown): store is CacheStore =>
  typeof store === 'object' && store !== null && ['get', 'set', 'invalidate', 'publish', 'subscribe'].every((method) => typeof (store as Record<string, unknown>)[method] === 'function')

/** The configuration last given to `configureServer`. */
export function getServerConfig(): Readonly<ServerConfig> {
  return shared.config
}

/** Development or production: a handler's `dev` option, else the configured one, else whether the Vite dev server runs here. */
export function isDevelopment(dev?: boolean): boolean {
  return dev ?? shared.config.dev ?? isDevelopmentProcess()
}

/**
 * An environment variable, or undefined where there is none: unset, empty, no `process` (a Worker
 * without nodejs_compat), or a read the runtime refuses (Deno without `--allow-env` for it).
 */
export function environmentVariable(name: string): string | undefined {
  try {
    return (typeof process === 'undefined' ? undefined : process.env?.[name]) || undefined
  } catch {
    return undefined
  }
}
