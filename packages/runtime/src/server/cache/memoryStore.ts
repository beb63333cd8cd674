import { BoundedEntries } from './boundedEntries.js'
import { namesOf, type CacheStore, type Revalidation } from './cacheStore.js'

export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used go first. Default 1 000. */
  maxEntries?: number
  /** Most text kept, in bytes: two a character of the values' devalue text and of their tag and path names. Default 32 MB. */
  maxBytes?: number
}

/**
 * Invalidations remembered for values still being computed (`set` refuses one computed across an
 * invalidation of its tags). Past this many, or this many characters of names (a tag may be a
 * caller's input), the oldest are forgotten, and a value whose computation began before the
 * forgotten ones is not kept: never stale, at worst not cached.
 */
const REMEMBERED_INVALIDATIONS = 10_000
const REMEMBERED_CHARACTERS = 4_000_000

/**
 * The default store: this process only, bounded (LRU by count and size). Revalidations reach the
 * subscribers of this process, which is all there is with one instance. Use `redisStore()` with more.
 */
export function memoryStore(options: MemoryStoreOptions = {}): CacheStore {
  const maxEntries = positive(options.maxEntries, 1000, 'maxEntries')
  const maxBytes = positive(options.maxBytes, 32 * 1024 * 1024, 'maxBytes')
  const entries = new BoundedEntries(maxEntries, maxBytes)
  // A logical clock: every invalidation ticks it, and remembers when each name was last invalidated.
  let clock = 0
  let forgottenBefore = 0
  const invalidatedAt = new Map<string, number>()
  let rememberedCharacters = 0
  const listeners = new Set<(revalidation: Revalidation) => void>()

  return {
    async get(key) {
      const entry = entries.get(key)
      return entry ? { entry } : { since: clock }
    },
    async set(key, entry, { since, ttl }) {
      if (since < forgottenBefore || namesOf(entry).some((name) => (invalidatedAt.get(name) ?? -1) > since)) return
      entries.set(key, entry, ttl)
    },
    async invalidate(dependencies) {
      clock++
      for (const name of namesOf(dependencies)) {
        // re-inserted last: the map stays ordered by time
        if (!invalidatedAt.delete(name)) rememberedCharacters += name.length
        invalidatedAt.set(name, clock)
        entries.deleteNamed([name])
      }
      for (const [name, at] of invalidatedAt) {
        if (invalidatedAt.size <= REMEMBERED_INVALIDATIONS && rememberedCharacters <= REMEMBERED_CHARACTERS) break
        invalidatedAt.delete(name)
        rememberedCharacters -= name.length
        forgottenBefore = at
      }
    },
    async publish(revalidation) {
      for (const listener of listeners) {
        try {
          listener(revalidation)
        } catch (error) {
          console.error('use-server: a revalidation listener threw', error)
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new TypeError(`use-server: memoryStore({ ${name} }) must be a number ≥ 0, not ${String(value)}.`)
  return value
}
