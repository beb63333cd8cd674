import { getServerConfig } from '../serverConfig.js'
import type { CacheStore } from './cacheStore.js'
import { memoryStore } from './memoryStore.js'

// Process-wide, like the configuration: every copy of the runtime must share the default store.
const shared: { fallback?: CacheStore } = ((globalThis as Record<symbol, { fallback?: CacheStore }>)[Symbol.for('use-server.cache')] ??= {})

/** The store `configureServer({ cache })` set, else this process's in-memory store. */
export function currentStore(): CacheStore {
  return getServerConfig().cache ?? (shared.fallback ??= memoryStore())
}
