import { configureServer, type CacheStore, type EventsOptions, type HandlerOptions } from '@use-server/runtime/server'

/**
 * The default export of the server config module (`src/server.config.ts`): what the embedded server
 * (`node dist/server/index.js`) and `vite preview` take from code rather than from `vite.config`.
 * Read when the server starts, so secrets and connections come from its environment.
 */
export interface ProductionConfig {
  /** The key that seals bound values. Default: `USE_SERVER_KEY`. */
  key?: string
  /** Keys of the next rotation: they open tokens, never seal. Default: `USE_SERVER_NEXT_KEYS`. */
  nextKeys?: string[]
  /** Keys of the last rotation: they open tokens, never seal. Default: `USE_SERVER_PREVIOUS_KEYS`. */
  previousKeys?: string[]
  /** Where `cached()` keeps values and how revalidations reach every instance. Default: in memory. */
  cache?: CacheStore
  /** Unexpected errors of server functions (the caller gets a digest). Default: `console.error`. */
  onError?: HandlerOptions['onError']
  /** Every revalidation this instance makes. */
  onRevalidate?: HandlerOptions['onRevalidate']
  /** The revalidation stream; overrides the plugin's `events`. */
  events?: boolean | EventsOptions
  /** On SIGTERM or SIGINT, how long calls in flight may take to finish, in ms; overrides the plugin's `shutdownTimeout`. */
  shutdownTimeout?: number
}

const FIELDS: Record<keyof ProductionConfig, string> = {
  key: 'string',
  nextKeys: 'object',
  previousKeys: 'object',
  cache: 'object',
  onError: 'function',
  onRevalidate: 'function',
  events: 'boolean|object',
  shutdownTimeout: 'number',
}

/**
 * Checks a server config module's default export, applies its process-wide part (keys and cache
 * store, through `configureServer`), and returns it. A misspelled or mistyped field throws at
 * start, naming the module.
 */
export function applyProductionConfig(config: unknown, where = 'the server config module'): ProductionConfig {
  if (config === undefined || config === null) return {}
  if (typeof config !== 'object') throw new TypeError(`use-server: ${where} must export an object by default, not ${typeof config}.`)
  if (typeof (config as { then?: unknown }).then === 'function') {
    throw new TypeError(`use-server: ${where} exports a promise by default; await it in the module (\`export default await makeConfig()\`), so the server starts with its settings.`)
  }
  for (const [name, value] of Object.entries(config)) {
    const expected = FIELDS[name as keyof ProductionConfig]
    if (!expected) throw new TypeError(`use-server: ${where} exports an unknown field "${name}"; it may have: ${Object.keys(FIELDS).join(', ')}.`)
    if (value !== undefined && !expected.split('|').includes(typeof value)) throw new TypeError(`use-server: ${where}: "${name}" must be a ${expected.replace('|', ' or ')}, not ${typeof value}.`)
  }
  const { key, nextKeys, previousKeys, cache } = config as ProductionConfig
  configureServer({ key, nextKeys, previousKeys, cache })
  return config as ProductionConfig
}
