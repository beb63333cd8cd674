import type { CacheEntry } from './cacheStore.js'
import { namesOf } from './cacheStore.js'

interface Held {
  entry: CacheEntry
  names: string[]
  bytes: number
  expires: number
}

/**
 * Cache entries in memory, least recently used first out past `maxEntries` or `maxBytes` (the
 * values' text and their tag and path names, counted as two bytes a character), indexed by tag and
 * path so an invalidation drops exactly the entries it touches. The in-memory store and the Redis store's local copies use it.
 */
export class BoundedEntries {
  readonly #entries = new Map<string, Held>()
  readonly #byName = new Map<string, Set<string>>()
  #bytes = 0

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.#entries.size
  }

  get(key: string, now = Date.now()): CacheEntry | undefined {
    const held = this.#entries.get(key)
    if (!held) return undefined
    if (held.expires <= now) {
      this.delete(key)
      return undefined
    }
    // Most recently used last: Map keeps insertion order.
    this.#entries.delete(key)
    this.#entries.set(key, held)
    return held.entry
  }

  set(key: string, entry: CacheEntry, ttl: number | undefined, now = Date.now()): void {
    this.delete(key)
    const names = namesOf(entry)
    // Names count too: they are held twice (the entry, the index), and may be a caller's input.
    const bytes = (key.length + entry.value.length + names.reduce((sum, name) => sum + name.length, 0)) * 2
    if (this.maxEntries === 0 || bytes > this.maxBytes) return
    this.#entries.set(key, { entry, names, bytes, expires: ttl === undefined ? Infinity : now + ttl })
    this.#bytes += bytes
    for (const name of names) {
      let keys = this.#byName.get(name)
      if (!keys) this.#byName.set(name, (keys = new Set()))
      keys.add(key)
    }
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) break
      this.delete(oldest)
    }
  }

  delete(key: string): void {
    const held = this.#entries.get(key)
    if (!held) return
    this.#entries.delete(key)
    this.#bytes -= held.bytes
    for (const name of held.names) {
      const keys = this.#byName.get(name)
      keys?.delete(key)
      if (keys?.size === 0) this.#byName.delete(name)
    }
  }

  /** Drops every entry indexed under one of `names`. */
  deleteNamed(names: Iterable<string>): void {
    for (const name of names) for (const key of [...(this.#byName.get(name) ?? [])]) this.delete(key)
  }

  clear(): void {
    this.#entries.clear()
    this.#byName.clear()
    this.#bytes = 0
  }
}
