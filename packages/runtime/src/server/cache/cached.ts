import { parse, stringify } from 'devalue'
import { pagePath } from '../../shared/pagePath.js'
import { currentContextOrUndefined, runInContext } from '../context/requestContext.js'
import { dependenciesOf } from '../context/dependencies.js'
import type { CacheEntry, CacheLookup } from './cacheStore.js'
import { CacheScope } from './cacheScope.js'
import { argumentsText, digest, entryKey, functionIdentity } from './cacheKey.js'
import { currentStore } from './currentStore.js'
import { reportStoreError } from './reportStoreError.js'

export interface CachedOptions {
  /** Tags every value depends on, besides those the function declares with `cacheTag()` while it runs. */
  tags?: string[]
  /** How long a value is kept, in ms. Default: until a revalidation touches it (or the store evicts it). */
  ttl?: number
  /**
   * The function's name in the store. Default: made from its name, source and where `cached()` is
   * called, so each deployment has its own entries. Give one to keep entries across deployments, or
   * when one place makes several cached functions (in a loop, a factory).
   */
  key?: string
}

type AsyncFunction = (...args: any[]) => Promise<unknown>

/** Keys remembered per cached function, for argument lists of at most this many characters. */
const MEMO_KEYS = 256
const MEMO_TEXT = 1024

// Process-wide: concurrent misses of one key, on any copy of the runtime, share one run.
const running: Map<string, Promise<CacheEntry>> = ((globalThis as Record<symbol, Map<string, Promise<CacheEntry>>>)[Symbol.for('use-server.cache-runs')] ??= new Map())

/**
 * Caches what `fn` returns by its arguments, in the server's cache store (`configureServer({ cache })`;
 * in memory by default, Redis for many instances). A value depends on `options.tags` and on the
 * tags and paths `fn` declares while it runs (`cacheTag`, `cachePath`); `revalidateTag` and
 * `revalidatePath` drop it, on every instance, before the call that revalidated runs the page's
 * queries again. A query that reads a cached value depends on what the value depends on, hit or miss.
 *
 * Values and arguments are data that devalue encodes (a copy is returned on every read); `fn` runs
 * without the request (no `cookies()`, `headers()`): pass what it needs as arguments. Concurrent
 * misses of one key in this process run `fn` once. If the store fails, `fn` runs uncached and the
 * failure is logged.
 */
export function cached<F extends AsyncFunction>(fn: F, options: CachedOptions = {}): F {
  if (typeof fn !== 'function') throw new TypeError(`use-server: cached() takes a function, not ${fn === null ? 'null' : typeof fn}.`)
  const { tags = [], ttl, key } = options
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string' || tag === '')) throw new TypeError('use-server: cached({ tags }) must be an array of non-empty strings.')
  if (ttl !== undefined && !(typeof ttl === 'number' && ttl > 0 && Number.isFinite(ttl))) throw new TypeError(`use-server: cached({ ttl }) must be a number of milliseconds > 0, not ${String(ttl)}.`)
  if (key !== undefined && (typeof key !== 'string' || key === '')) throw new TypeError('use-server: cached({ key }) must be a non-empty string.')
  const { name, label, identity } = functionIdentity(fn, key, cached)
  let identityDigest: Promise<string> | undefined
  // Keys of recent short argument lists: a digest costs more than the rest of a hit.
  const recentKeys = new Map<string, string>()

  /** `fn`'s value as an entry, with what it depends on. */
  const compute = async (args: unknown[]): Promise<CacheEntry> => {
    const scope = new CacheScope(label)
    const value = await runInContext(scope, () => fn(...args))
    const dependencies = dependenciesOf(scope.dependencies)
    return { value: encodeValue(label, value), tags: [...new Set([...tags, ...dependencies.tags])], paths: dependencies.paths.map(pagePath) }
  }

  const fill = async (key: string, args: unknown[]): Promise<CacheEntry> => {
    const store = currentStore()
    let lookup: CacheLookup | undefined
    try {
      lookup = await store.get(key)
    } catch (error) {
      reportStoreError('read a value', `${label} ran uncached`, error)
    }
    if (lookup?.entry) return lookup.entry
    const entry = await compute(args)
    if (lookup) {
      try {
        await store.set(key, entry, { since: lookup.since, ttl })
      } catch (error) {
        reportStoreError('store a value', `the value of ${label} was not kept`, error)
      }
    }
    return entry
  }

  const wrapper = async function (this: unknown, ...args: unknown[]) {
    const text = argumentsText(label, args)
    let key = recentKeys.get(text)
    if (key === undefined) {
      key = await entryKey(name, (identityDigest ??= digest(identity)), text)
      if (text.length <= MEMO_TEXT) {
        if (recentKeys.size >= MEMO_KEYS) recentKeys.delete(recentKeys.keys().next().value!)
        recentKeys.set(text, key)
      }
    }
    let run = running.get(key)
    if (!run) {
      run = fill(key, args).finally(() => running.delete(key))
      running.set(key, run)
    }
    let entry = await run
    let value: unknown
    try {
      value = parse(entry.value)
    } catch (error) {
      // Tampered with, or stored by a deployment that encoded values otherwise (a `key` kept across
      // them): the call runs uncached rather than failing, until a revalidation or the ttl drops it.
      reportStoreError('decode a stored value', `${label} ran uncached until a revalidation or its lifetime drops it`, error)
      entry = await compute(args)
      value = parse(entry.value)
    }
    const caller = currentContextOrUndefined()
    if (caller) {
      for (const tag of entry.tags) caller.dependencies.tags.add(tag)
      for (const path of entry.paths) caller.dependencies.paths.add(path)
    }
    return value
  }
  Object.defineProperty(wrapper, 'name', { value: fn.name })
  return wrapper as F
}

function encodeValue(label: string, value: unknown): string {
  try {
    return stringify(value)
  } catch (error) {
    const path = (error as { path?: string }).path
    throw new Error(
      `use-server: the value ${label} returned cannot be cached${path ? ` (at value${path})` : ''}: ${(error as Error).message}. Return data (strings, numbers, plain objects, arrays, Dates, Maps, Sets…), not functions or class instances.`,
    )
  }
}
