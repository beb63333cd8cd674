import { createHash } from 'node:crypto'
import { createClient, type RedisClientOptions } from 'redis'
import { BoundedEntries } from '../server/cache/boundedEntries.js'
import { namesOf, type CacheEntry, type CacheLookup, type CacheStore, type Revalidation } from '../server/cache/cacheStore.js'
import { reportStoreError } from '../server/cache/reportStoreError.js'
import { environmentVariable } from '../server/serverConfig.js'
import { PendingWork } from './pendingWork.js'
import { EVERYTHING, GET_SCRIPT, INVALIDATE_SCRIPT, SET_SCRIPT } from './scripts.js'

type RedisClient = ReturnType<typeof createClient>

export interface RedisStoreOptions {
  /** `redis[s]://[[user][:password]@]host[:port][/db]`. Default: `REDIS_URL`, else `redis://127.0.0.1:6379`. */
  url?: string
  /** More options for node-redis' `createClient` (TLS, credentials, socket settings). */
  client?: RedisClientOptions
  /** Prefix of every key and channel, to share a Redis between apps. Default `use-server:`. */
  prefix?: string
  /** Longest wait for Redis, in ms; past it the operation fails (the function runs uncached). Default 1 000. */
  timeout?: number
  /** Values kept in this process too (dropped through pub/sub when invalidated anywhere); 0 for none. Default 1 000. */
  localEntries?: number
  /** Lifetime of values cached without a `ttl`, in ms, so Redis never fills with forgotten keys. Default 24 h. */
  defaultTtl?: number
}

export interface RedisStore extends CacheStore {
  /** Resolves once both connections (commands and pub/sub) are up. Never rejects: failures are retried and logged. */
  readonly ready: Promise<void>
  close(): Promise<void>
}

/** How long an invalidation is remembered: a value whose computation took longer is not kept. */
const FILL_WINDOW_MS = 60_000
/** After a failure, operations fail at once for this long instead of each waiting `timeout`. */
const BACKOFF_MS = 1_000
/** The longest lifetime Redis takes (PEXPIRE refuses more, and Lua would stop after writing the entry unindexed). */
const LONGEST_TTL_MS = Number.MAX_SAFE_INTEGER

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')
const SCRIPTS = { get: GET_SCRIPT, set: SET_SCRIPT, invalidate: INVALIDATE_SCRIPT }

/**
 * A cache store on Redis for many instances, through node-redis (`redis` on npm, Redis' own client,
 * an optional peer dependency). Tag and path invalidation is one Lua script, atomic and visible to
 * every instance at once; each instance also keeps local copies of values it read, dropped through
 * pub/sub when any instance invalidates them (and all dropped whenever the connection is in doubt).
 * Revalidations are published on a channel every instance listens to. Redis being down or slow
 * never fails a call: each operation is bounded by `timeout`, the function then runs uncached,
 * invalidations and publications are replayed when Redis is back, and the errors are logged.
 * Needs one Redis (with replicas if you like), not Redis Cluster: scripts touch keys by name.
 */
export function redisStore(options: RedisStoreOptions = {}): RedisStore {
  const url = options.url ?? environmentVariable('REDIS_URL') ?? 'redis://127.0.0.1:6379'
  const prefix = options.prefix ?? 'use-server:'
  const timeout = count(options.timeout, 1000, 'timeout', 1)
  const defaultTtl = count(options.defaultTtl, 24 * 60 * 60 * 1000, 'defaultTtl', 1)
  const local = new BoundedEntries(count(options.localEntries, 1000, 'localEntries', 0), 8 * 1024 * 1024)
  const channels = { invalidations: `${prefix}invalidations`, revalidations: `${prefix}revalidations` }

  const commands = clientOf({ ...options.client, url, disableOfflineQueue: true }, options.url === undefined && environmentVariable('REDIS_URL') !== undefined)
  const subscriber = commands.duplicate()
  const listeners = new Set<(revalidation: Revalidation) => void>()
  const pending = new PendingWork()
  let failedUntil = 0
  let everReady = false
  // Invalidations heard: a read or write that saw one arrive meanwhile keeps no local copy.
  let heard = 0
  let closed = false

  const report = (what: string) => (error: unknown) => {
    if (!closed) reportStoreError(what, `Redis at ${redact(url)} is unreachable or failing; calls go on uncached`, error)
  }
  commands.on('error', report('reach Redis'))
  subscriber.on('error', report('listen to Redis'))
  // Local copies are only as good as the invalidations this process hears: none while not listening.
  subscriber.on('end', () => local.clear()).on('reconnecting', () => local.clear())
  subscriber.on('ready', () => local.clear())
  commands.on('ready', () => {
    everReady = true
    failedUntil = 0
    void replay()
  })

  const ready = Promise.all([
    commands.connect(),
    subscriber.connect().then(() =>
      Promise.all([
        subscriber.subscribe(channels.invalidations, (message) => {
          heard++
          const names = parseNames(message)
          if (names?.includes(EVERYTHING)) local.clear()
          else if (names) local.deleteNamed(names)
        }),
        subscriber.subscribe(channels.revalidations, (message) => {
          const revalidation = parseRevalidation(message)
          if (!revalidation) return
          for (const listener of listeners) {
            try {
              listener(revalidation)
            } catch (error) {
              console.error('use-server: a revalidation listener threw', error)
            }
          }
        }),
      ]),
    ),
  ]).then(
    () => undefined,
    // node-redis keeps reconnecting on its own; the error events are logged.
    () => undefined,
  )

  /** Runs a script, bounded in time; fails at once while Redis was failing a moment ago. */
  async function script(name: keyof typeof SCRIPTS, keys: string[], args: string[]): Promise<unknown> {
    if (closed) throw new Error('the Redis store is closed')
    if (Date.now() < failedUntil) throw new Error(`Redis failed less than ${BACKOFF_MS} ms ago; not trying again yet`)
    const deadline = deadlineOf(timeout)
    try {
      // At start, wait (within the timeout) for the first connection rather than fail the first calls.
      if (!everReady && !commands.isReady) await Promise.race([ready, deadline.promise])
      const text = SCRIPTS[name]
      const run = commands.evalSha(SCRIPT_SHAS[name], { keys, arguments: args }).catch((error: Error) => {
        if (!/NOSCRIPT/.test(error.message)) throw error
        return commands.eval(text, { keys, arguments: args })
      })
      return await Promise.race([run, deadline.promise])
    } catch (error) {
      failedUntil = Date.now() + BACKOFF_MS
      local.clear()
      throw error
    } finally {
      deadline.clear()
    }
  }

  const usable = () => subscriber.isReady && Date.now() >= failedUntil

  async function invalidateInRedis(names: string[]): Promise<void> {
    await script('invalidate', [], [JSON.stringify(names), prefix, String(FILL_WINDOW_MS)])
  }

  async function publishInRedis(revalidation: Revalidation): Promise<void> {
    if (Date.now() < failedUntil || !commands.isReady) throw new Error('Redis is unreachable')
    await bounded(commands.publish(channels.revalidations, JSON.stringify(revalidation)))
  }

  /**
   * Drops every entry: first every value still being computed is refused (the mark of `EVERYTHING`),
   * then the entries and their indexes go, then every instance drops its copies, read meanwhile too.
   */
  async function invalidateEverything(): Promise<void> {
    await invalidateInRedis([EVERYTHING])
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}[es]:*`
    let cursor = '0'
    do {
      const reply = await bounded(commands.scan(cursor, { MATCH: pattern, COUNT: 1000 }))
      cursor = String(reply.cursor)
      if (reply.keys.length > 0) await bounded(commands.unlink(reply.keys))
    } while (cursor !== '0')
    await invalidateInRedis([EVERYTHING])
  }

  /** Sends what failed while Redis was away: the invalidations first, then the publications. */
  async function replay(): Promise<void> {
    if (pending.empty) return
    const work = pending.take()
    try {
      if (work.names === 'everything') await invalidateEverything()
      else if (work.names.length > 0) await invalidateInRedis(work.names)
      for (const revalidation of work.revalidations) await publishInRedis(revalidation)
    } catch (error) {
      pending.putBack(work)
      report('replay revalidations')(error)
    }
  }
  const replayTimer = setInterval(() => void (everReady && commands.isReady && replay()), BACKOFF_MS)
  ;(replayTimer as { unref?: () => void }).unref?.()

  return {
    ready,
    async get(key): Promise<CacheLookup> {
      const own = usable() ? local.get(key) : undefined
      if (own) return { entry: own }
      const before = heard
      const reply = (await script('get', [`${prefix}e:${key}`], [])) as [number, string, string?, number?]
      if (reply[0] === 0) return { since: Number(reply[1]) }
      const entry = entryOf(reply[1], reply[2])
      if (heard === before && usable()) local.set(key, entry, reply[3] !== undefined && reply[3] > 0 ? reply[3] : undefined)
      return { entry }
    },
    async set(key, entry, { since, ttl }) {
      const before = heard
      const names = JSON.stringify(namesOf(entry))
      const lifetime = String(Math.min(Math.ceil(ttl ?? defaultTtl), LONGEST_TTL_MS))
      const kept = await script('set', [`${prefix}e:${key}`], [entry.value, names, String(since), lifetime, prefix, String(FILL_WINDOW_MS * 1000)])
      if (kept === 1 && heard === before && usable()) local.set(key, entry, ttl ?? defaultTtl)
    },
    async invalidate(dependencies) {
      const names = namesOf(dependencies)
      // This instance's copies go at once: the queries about to run again must not read them.
      local.deleteNamed(names)
      try {
        await invalidateInRedis(names)
      } catch (error) {
        if (pending.invalidate(names)) {
          console.warn('use-server: the Redis store got more invalidations than it keeps while Redis is unreachable; once Redis is back, every cached value is dropped, on every instance.')
        }
        throw error
      }
    },
    async publish(revalidation) {
      try {
        await publishInRedis(revalidation)
      } catch (error) {
        pending.publish(revalidation)
        // Browsers connected to this instance still hear of it.
        for (const listener of listeners) listener(revalidation)
        throw error
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    async close() {
      closed = true
      clearInterval(replayTimer)
      // A graceful close waits for every command sent: one a wedged Redis never answers would hold it forever.
      const deadline = deadlineOf(timeout)
      try {
        await Promise.race([Promise.allSettled([commands.close(), subscriber.close()]), deadline.promise])
      } catch {
        commands.destroy()
        subscriber.destroy()
      } finally {
        deadline.clear()
      }
    },
  }

  /** A command bounded in time, like every other. */
  async function bounded<T>(command: Promise<T>): Promise<T> {
    const deadline = deadlineOf(timeout)
    try {
      return await Promise.race([command, deadline.promise])
    } finally {
      deadline.clear()
    }
  }
}

const SCRIPT_SHAS = { get: sha1(GET_SCRIPT), set: sha1(SET_SCRIPT), invalidate: sha1(INVALIDATE_SCRIPT) }

function entryOf(value: string, names: string | undefined): CacheEntry {
  const entry: CacheEntry = { value, tags: [], paths: [] }
  for (const name of parseNames(names ?? '[]') ?? []) {
    if (name.startsWith('t:')) entry.tags.push(name.slice(2))
    else if (name.startsWith('p:')) entry.paths.push(name.slice(2))
  }
  return entry
}

function parseNames(text: string): string[] | undefined {
  try {
    const names: unknown = JSON.parse(text)
    return Array.isArray(names) && names.every((name) => typeof name === 'string') ? names : undefined
  } catch {
    return undefined
  }
}

function parseRevalidation(text: string): Revalidation | undefined {
  try {
    const { tags, paths, id } = JSON.parse(text) as Record<string, unknown>
    const names = (list: unknown) => Array.isArray(list) && list.every((name) => typeof name === 'string')
    return names(tags) && names(paths) && typeof id === 'string' ? { tags: tags as string[], paths: paths as string[], id } : undefined
  } catch {
    return undefined
  }
}

/** A promise that rejects after `ms` unless cleared first (then it never settles, and holds nothing). */
function deadlineOf(ms: number): { promise: Promise<never>; clear(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms (the store's timeout)`)), ms)
  })
  return { promise, clear: () => clearTimeout(timer) }
}

/** node-redis' client, or an error that says which URL it could not read (a password hidden) and what one looks like. */
function clientOf(settings: RedisClientOptions & { url: string }, fromEnvironment: boolean): RedisClient {
  try {
    return createClient(settings)
  } catch (error) {
    throw new TypeError(
      `use-server: redisStore() was given the url ${JSON.stringify(redact(settings.url))}${fromEnvironment ? ' (from REDIS_URL)' : ''}, which is not a Redis URL (${(error as Error).message}). Write redis[s]://[[user][:password]@]host[:port][/db].`,
    )
  }
}

/** A Redis URL without its password, for messages (a malformed one too). */
function redact(url: string): string {
  return url.replace(/(\/\/|^)([^:@/]*):[^@/]*@/, '$1$2:***@')
}

function count(value: number | undefined, fallback: number, name: string, least: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < least) throw new TypeError(`use-server: redisStore({ ${name} }) must be a number ≥ ${least}, not ${String(value)}.`)
  return value
}
