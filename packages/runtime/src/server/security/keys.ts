import { encodeBase64 } from '../../codec/base64.js'
import { environmentVariable as environment, getServerConfig, isDevelopment } from '../serverConfig.js'
import { GENERATE_KEY, readKey } from './readKey.js'

/**
 * Keys for one handler, overriding `configureServer()` and the environment: for tests and several
 * apps in one process. Tokens sealed during a server render (bound form actions, `clientDataScript`)
 * cannot see a handler's options: they use `configureServer()`'s key, else `USE_SERVER_KEY`.
 */
export interface KeyOptions {
  /** base64 of 32 random bytes. Default: `configureServer()`'s key, else `USE_SERVER_KEY`; a random key per process in development. */
  key?: string
  /** Older keys that still decrypt (never encrypt), for rotation. Default: `configureServer()`'s, else `USE_SERVER_PREVIOUS_KEYS`, comma-separated. */
  previousKeys?: string[]
  /**
   * Keys about to become current: they decrypt (never encrypt), so an instance opens tokens that
   * instances already switched to the new key sealed. Default: `configureServer()`'s, else
   * `USE_SERVER_NEXT_KEYS`, comma-separated.
   */
  nextKeys?: string[]
}

// WebCrypto's key type, named without the DOM library (a server app may compile without it).
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>

export interface KeyRing {
  /** Encrypts new tokens. */
  current: CryptoKey
  /** Tried in order to decrypt: current first, then next keys, then previous keys. */
  all: CryptoKey[]
}

// Process-wide, like the registry: every copy of this module (dev server, SSR runner, bundle) must
// seal and open tokens with the same development key, and warn only once.
const shared: { rings: Map<string, Promise<KeyRing>>; processKey?: string; warned: boolean } = ((globalThis as Record<symbol, never>)[
  Symbol.for('use-server.keys')
] ??= { rings: new Map(), warned: false } as never)
const rings = shared.rings

/** The key a handler with these options seals with, if one is set anywhere (options, configureServer, environment). */
function configuredKey(options: KeyOptions): string | undefined {
  return options.key ?? getServerConfig().key ?? environment('USE_SERVER_KEY')
}

/**
 * Next or previous keys: the handler's, else configureServer's, else the environment variable, which
 * is read only when the key comes from the environment too (Deno refuses reads of variables it was
 * not allowed).
 */
function otherKeys(options: KeyOptions, which: 'nextKeys' | 'previousKeys'): string[] {
  const config = getServerConfig()
  const own = options[which] ?? config[which]
  if (own) return own
  if (options.key !== undefined || config.key !== undefined) return []
  const list = environment(which === 'nextKeys' ? 'USE_SERVER_NEXT_KEYS' : 'USE_SERVER_PREVIOUS_KEYS')
  // As operators write lists: `a, b`, a trailing comma.
  return list?.split(',').map((key) => key.trim()).filter(Boolean) ?? []
}

/**
 * The keys that seal and open bound values, imported once per distinct configuration. Without a
 * key, production warns once (this is called only when a token is sealed or opened).
 */
export function getKeyRing(options: KeyOptions, dev: boolean): Promise<KeyRing> {
  let key = configuredKey(options)
  const next = otherKeys(options, 'nextKeys')
  const previous = otherKeys(options, 'previousKeys')
  if (!key) {
    if (!dev && !shared.warned) {
      shared.warned = true
      console.warn(
        `use-server: USE_SERVER_KEY is not set (nor configureServer({ key })), so bound values are encrypted with a random key that lives and dies with this process: bound server functions in pages served by another instance or before a restart will fail. Set USE_SERVER_KEY to the same secret on every instance (generate one with ${GENERATE_KEY}).`,
      )
    }
    shared.processKey ??= encodeBase64(crypto.getRandomValues(new Uint8Array(32)))
    key = shared.processKey
  }
  const cacheKey = [key, ...next, '|', ...previous].join(',')
  let ring = rings.get(cacheKey)
  if (!ring) {
    ring = importRing(key, next, previous)
    rings.set(cacheKey, ring)
  }
  return ring
}

async function importRing(key: string, next: string[], previous: string[]): Promise<KeyRing> {
  const all = await Promise.all([
    importKey(key, 'USE_SERVER_KEY'),
    ...next.map((k, i) => importKey(k, `USE_SERVER_NEXT_KEYS[${i}]`)),
    ...previous.map((k, i) => importKey(k, `USE_SERVER_PREVIOUS_KEYS[${i}]`)),
  ])
  return { current: all[0]!, all }
}

function importKey(base64: string, name: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', readKey(base64, name), 'AES-GCM', false, ['encrypt', 'decrypt'])
}

/**
 * Loads and checks the configured keys now rather than on the first call, so a malformed key is
 * reported when the server starts. A missing key is warned about now only when `bindsValues` says
 * the app has functions that bind values; otherwise when a token is first sealed or opened, if ever.
 */
export async function checkServerKeys(options: KeyOptions & { dev?: boolean; bindsValues?: boolean } = {}): Promise<void> {
  if (configuredKey(options) || options.bindsValues) await getKeyRing(options, isDevelopment(options.dev))
}
