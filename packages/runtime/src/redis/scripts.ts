// The store's Lua scripts. Each runs atomically in Redis: no instance ever sees half an invalidation.
// Keys under the prefix: `e:<key>` an entry (hash: v = value, n = JSON of its index names),
// `s:<name>` the set of entry keys indexed under a tag or path name, `i:<name>` when that name was
// last invalidated (Redis' clock, µs), kept for as long as a value may take to compute.

/** The name an invalidation of every entry goes by (others start with `t:` or `p:`). */
export const EVERYTHING = '*'

/** Redis' clock in µs, formatted without exponent (Lua's tostring would round it). */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])`

/** KEYS[1] entry → {1, value, names, pttl} on a hit, {0, now} on a miss. */
export const GET_SCRIPT = `${NOW}
local e = redis.call('HMGET', KEYS[1], 'v', 'n')
if not e[1] then return {0, string.format('%.0f', now)} end
return {1, e[1], e[2], redis.call('PTTL', KEYS[1])}`

/**
 * KEYS[1] entry; ARGV: value, names (JSON), since (µs), ttl (ms), prefix, window (µs). Stores the
 * entry and indexes it, unless the value's computation began too long ago to vouch for, or one of
 * its names (or everything, `*`) was invalidated since it began. Index sets shed two members whose
 * entries are gone on every insert, so they stay within about twice the entries alive.
 */
export const SET_SCRIPT = `${NOW}
local since = tonumber(ARGV[3])
if now - since > tonumber(ARGV[6]) then return 0 end
local everything = redis.call('GET', ARGV[5] .. 'i:${EVERYTHING}')
if everything and tonumber(everything) >= since then return 0 end
local names = cjson.decode(ARGV[2])
for _, name in ipairs(names) do
  local at = redis.call('GET', ARGV[5] .. 'i:' .. name)
  if at and tonumber(at) >= since then return 0 end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'n', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
for _, name in ipairs(names) do
  local index = ARGV[5] .. 's:' .. name
  redis.call('SADD', index, KEYS[1])
  for _, member in ipairs(redis.call('SRANDMEMBER', index, 2)) do
    if redis.call('EXISTS', member) == 0 then redis.call('SREM', index, member) end
  end
end
return 1`

/**
 * ARGV: names (JSON), prefix, window (ms). Deletes every entry indexed under the names, notes when
 * they were invalidated, and tells every instance to drop its local copies (channel `invalidations`).
 */
export const INVALIDATE_SCRIPT = `${NOW}
for _, name in ipairs(cjson.decode(ARGV[1])) do
  local index = ARGV[2] .. 's:' .. name
  local keys = redis.call('SMEMBERS', index)
  for i = 1, #keys, 1000 do redis.call('DEL', unpack(keys, i, math.min(i + 999, #keys))) end
  redis.call('DEL', index)
  redis.call('SET', ARGV[2] .. 'i:' .. name, string.format('%.0f', now), 'PX', ARGV[3])
end
redis.call('PUBLISH', ARGV[2] .. 'invalidations', ARGV[1])
return 1`
