import { cached, configureServer, memoryStore, type CacheStore, type Revalidation } from '@use-server/runtime/server'
import { redisStore, type RedisStore } from '@use-server/runtime/redis'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'devalue'
import { createClient } from 'redis'
import { startRedis } from '../../test/support/redisServer.js'
import { printTable, saveFigure } from '../lib/results.js'
import { scratchDir } from '../lib/scratch.js'
import { median, round } from '../lib/stats.js'

// Many instances: (1) a read through cached() against the same read uncached, and against two floors
// (a Map of the decoded value: the least any in-process cache costs; the same returning a copy, as
// cached() does, so a caller may change what it gets); (2) a revalidation fanned out
// to N instances through Redis, against a floor (a bare PUBLISH to N bare subscribers). Debian's
// redis-server on loopback; contenders alternate, median of the rounds.

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10)
const FANOUTS = Number(process.env.BENCH_FANOUTS ?? 200)

const redis = await startRedis()
const dir = scratchDir('instances')
try {
  // --- 1. cached read ------------------------------------------------------------------------
  // What a typical query reads: 200 posts from a JSON "database" file, the 20 newest of them.
  mkdirSync(dir, { recursive: true })
  const database = join(dir, 'posts.json')
  writeFileSync(database, JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ id: i, title: `Post ${i}`, body: 'x'.repeat(400), createdAt: new Date(2026, 0, 1 + i).toISOString() }))))
  const readPosts = async () => (JSON.parse(readFileSync(database, 'utf8')) as Array<{ createdAt: string }>).sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 20)
  const decoded = new Map([['posts', await readPosts()]])
  const encoded = new Map([['posts', stringify(decoded.get('posts'))]])

  const stores: Record<string, CacheStore> = {
    memory: memoryStore(),
    redisLocal: redisStore({ url: redis.url, prefix: 'bench-local:' }),
    redisRemote: redisStore({ url: redis.url, prefix: 'bench-remote:', localEntries: 0 }),
  }
  await Promise.all(Object.values(stores).map((store) => (store as RedisStore).ready))
  const reader = (store: CacheStore) => {
    const read = cached(readPosts, { key: 'posts', tags: ['posts'] })
    return async () => {
      configureServer({ cache: store })
      return read()
    }
  }
  const contenders: Record<string, () => Promise<unknown>> = {
    'floor (Map of the decoded value)': async () => decoded.get('posts'),
    'floor with a copy (Map of devalue text, parsed)': async () => parse(encoded.get('posts')!),
    'cached(), memory store': reader(stores.memory!),
    'cached(), Redis store, local copy': reader(stores.redisLocal!),
    'cached(), Redis store, no local copy': reader(stores.redisRemote!),
    'uncached (the read itself)': readPosts,
  }
  for (const run of Object.values(contenders)) await run() // fills
  const perRead: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]))
  for (let round_ = 0; round_ < ROUNDS; round_++) {
    for (const [name, run] of Object.entries(contenders)) {
      // ~50 ms per contender and round
      let reads = 0
      const start = performance.now()
      while (performance.now() - start < 50) {
        await run()
        reads++
      }
      perRead[name]!.push(((performance.now() - start) * 1000) / reads)
    }
  }
  const floor = median(perRead['floor (Map of the decoded value)']!)
  const uncached = median(perRead['uncached (the read itself)']!)
  const readRows = Object.entries(perRead).map(([name, samples]) => ({ read: name, 'µs per read': round(median(samples), 2), 'ours / floor': round(median(samples) / floor, 1), 'ours / uncached': round(median(samples) / uncached, 3) }))
  printTable(`Cached read vs uncached read (200 posts from a JSON file, the newest 20; median of ${ROUNDS} alternating rounds)`, readRows)

  // --- 2. revalidation fan-out ---------------------------------------------------------------
  const fanoutRows: Array<Record<string, string | number>> = []
  for (const instances of [1, 3, 10]) {
    // ours: N stores, as N instances hold them, doing the handler's work: invalidate, then publish
    const ours = Array.from({ length: instances }, () => redisStore({ url: redis.url, prefix: `fan${instances}:` }))
    // floor: a bare PUBLISH to N bare subscribers
    const publisher = createClient({ url: redis.url })
    const subscribers = Array.from({ length: instances }, () => createClient({ url: redis.url }))
    await Promise.all([...ours.map((store) => store.ready), ...[publisher, ...subscribers].map((client) => client.connect())])
    const oursFan = listenAll(instances, (listener) => ours.forEach((store) => store.subscribe(listener)))
    const floorFan = listenAll(instances, (listener) =>
      subscribers.forEach((client) => void client.subscribe(`floor${instances}`, (message) => listener(JSON.parse(message) as Revalidation))),
    )
    await new Promise((resolve) => setTimeout(resolve, 200)) // subscriptions settle
    const samples = { ours: [] as number[], floor: [] as number[] }
    for (let i = 0; i < FANOUTS; i++) {
      samples.ours.push(
        await oursFan(`o${i}`, async (revalidation) => {
          await ours[0]!.invalidate({ tags: revalidation.tags, paths: revalidation.paths })
          await ours[0]!.publish(revalidation)
        }),
      )
      samples.floor.push(await floorFan(`f${i}`, async (revalidation) => void (await publisher.publish(`floor${instances}`, JSON.stringify(revalidation)))))
    }
    await Promise.all([...ours.map((store) => store.close()), publisher.close(), ...subscribers.map((client) => client.close())])
    const [oursMs, floorMs] = [median(samples.ours), median(samples.floor)]
    fanoutRows.push({ instances, 'floor ms (PUBLISH → all heard)': round(floorMs, 3), 'use-server ms (invalidate + publish → all heard)': round(oursMs, 3), 'ours / floor': round(oursMs / floorMs, 2) })
  }
  printTable(`Revalidation fan-out to N instances through Redis (median of ${FANOUTS} revalidations, alternating)`, fanoutRows)
  saveFigure('instances', { read: readRows, fanout: fanoutRows })
  await Promise.all(Object.values(stores).map((store) => store.close?.()))
} finally {
  await redis.stop()
  rmSync(dir, { recursive: true, force: true })
}

/** A fan-out to measure: `listen` registers one listener per instance; the result times one revalidation until all heard it, in ms. */
function listenAll(instances: number, listen: (listener: (revalidation: Revalidation) => void) => void): (id: string, send: (revalidation: Revalidation) => Promise<void>) => Promise<number> {
  const waiting = new Map<string, { heard: number; done: () => void }>()
  listen((revalidation) => {
    const wait = waiting.get(revalidation.id)
    if (wait && ++wait.heard === instances) wait.done()
  })
  return async (id, send) => {
    const revalidation = { id, tags: ['posts'], paths: ['/posts'] }
    const heard = new Promise<void>((done) => waiting.set(id, { heard: 0, done }))
    const start = performance.now()
    await send(revalidation)
    await heard
    waiting.delete(id)
    return performance.now() - start
  }
}
