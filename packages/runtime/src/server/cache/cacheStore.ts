import type { Dependencies } from '../../shared/protocol.js'

/** A revalidation as stores publish it and browsers receive it: what changed, and an id to tell repeats apart. */
export interface Revalidation extends Dependencies {
  /** Random, made by the instance that revalidated; the browser that made the call skips it when it comes back. */
  id: string
}

/** A cached value as stores keep it. */
export interface CacheEntry extends Dependencies {
  /** The value, as devalue text (so it survives any store, and every reader gets its own copy). */
  value: string
}

/** What `get` finds: the entry, or on a miss the store's clock, which `set` needs to refuse a value made stale meanwhile. */
export type CacheLookup = { entry: CacheEntry; since?: undefined } | { entry?: undefined; since: number }

/**
 * Where `cached()` keeps values, and how revalidations reach every instance. In-memory by default
 * (`memoryStore()`); `redisStore()` from `@use-server/runtime/redis` for many instances. A store
 * bounds its own operations in time: an operation that fails rejects, and the caller runs the
 * function uncached (or, for a revalidation, reports it) rather than failing the call.
 */
export interface CacheStore {
  /** The entry under `key`, unless it expired or was invalidated. */
  get(key: string): Promise<CacheLookup>
  /**
   * Stores an entry for `ttl` ms (default: until invalidated or evicted), unless one of its tags or
   * paths was invalidated after `since` (the clock `get` returned when it missed): a value computed
   * while a revalidation happened is never kept.
   */
  set(key: string, entry: CacheEntry, options: { since: number; ttl?: number }): Promise<void>
  /** Drops every entry that depends on one of these tags or paths, at once for every instance. */
  invalidate(dependencies: Dependencies): Promise<void>
  /** Tells every instance (and through them their open browsers) about a revalidation. */
  publish(revalidation: Revalidation): Promise<void>
  /** Hears every published revalidation, this instance's included; returns the unsubscribe. */
  subscribe(listener: (revalidation: Revalidation) => void): () => void
  /** Closes connections (a graceful shutdown). */
  close?(): Promise<void>
}

/** A lone surrogate: half of a character, which no UTF-8 store or JSON parser (Redis' cjson) takes. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/**
 * The name under which a store indexes a dependency: tags and paths never collide, and a lone
 * surrogate (a caller's input in a tag) is U+FFFD, as UTF-8 would make it, so every store takes it.
 */
export const tagName = (tag: string) => `t:${tag}`.replace(LONE_SURROGATE, '\ufffd')
export const pathName = (path: string) => `p:${path}`.replace(LONE_SURROGATE, '\ufffd')

/** Every index name of a set of dependencies. */
export function namesOf({ tags, paths }: Dependencies): string[] {
  return [...tags.map(tagName), ...paths.map(pathName)]
}
