// Redis entry: the cache store for many instances. Needs the `redis` package (node-redis).
export { redisStore, type RedisStore, type RedisStoreOptions } from './redisStore.js'
