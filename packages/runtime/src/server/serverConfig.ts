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
  /** Development: unexpected errors reach the caller with message and stack. Default: false, except in the Vite dev server. */
  dev?: boolean
}

// Process-wide, like the registry: the copies of this module that a dev server, its SSR runner and
// a bundle may each load all read the one configuration.
const shared: { config: Readonly<ServerConfig> } = ((globalThis as Record<symbol, never>)[Symbol.for('use-server.config')] ??= { config: {} } as never)

/**
 * Replaces the server configuration of this process. Cheap and idempotent, so a Worker may call it
 * on every request with its bindings. A key that is not 32 bytes of base64 throws here, at once.
 * A handler's own `key`, `previousKeys` and `dev` options still win over these.
 */
export function configureServer(config: ServerConfig): void {
  if (typeof config !== 'object' || config === null) throw new TypeError('use-server: configureServer() takes an object: { key, previousKeys, dev }.')
  const { key, previousKeys, dev } = config
  const current = shared.config
  // A Worker calls this on every request with the same bindings: nothing to check again.
  if (key === current.key && dev === current.dev && sameKeys(previousKeys, current.previousKeys)) return
  if (key !== undefined) readKey(key, 'configureServer({ key })')
  if (previousKeys !== undefined) {
    if (!Array.isArray(previousKeys)) throw new TypeError('use-server: configureServer({ previousKeys }) must be an array of base64 keys.')
    previousKeys.forEach((previous, i) => readKey(previous, `configureServer({ previousKeys[${i}] })`))
  }
  if (dev !== undefined && typeof dev !== 'boolean') throw new TypeError(`use-server: configureServer({ dev }) must be true or false, not ${JSON.stringify(dev)}.`)
  shared.config = Object.freeze({ key, previousKeys: previousKeys && [...previousKeys], dev })
}

const sameKeys = (a: string[] | undefined, b: string[] | undefined) => a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((key, i) => key === b[i]))

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
