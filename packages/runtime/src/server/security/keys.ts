import { decodeBase64, encodeBase64 } from '../../codec/base64.js'
import { isDevelopmentProcess } from '../developmentMode.js'

/**
 * Keys for one handler, overriding the environment: for tests and several apps in one process.
 * Tokens sealed during a server render (bound form actions, `clientDataScript`) cannot see a
 * handler's options and always use `USE_SERVER_KEY`, so an app that renders bound forms sets that.
 */
export interface KeyOptions {
  /** base64 of 32 random bytes. Default: `USE_SERVER_KEY`; a random key per process in development. */
  key?: string
  /** Older keys that still decrypt (never encrypt), for rotation. Default: `USE_SERVER_PREVIOUS_KEYS`, comma-separated. */
  previousKeys?: string[]
}

export interface KeyRing {
  /** Encrypts new tokens. */
  current: CryptoKey
  /** Tried in order to decrypt: current first, then previous keys. */
  all: CryptoKey[]
}

// Process-wide, like the registry: every copy of this module (dev server, SSR runner, bundle) must
// seal and open tokens with the same development key, and warn only once.
const shared: { rings: Map<string, Promise<KeyRing>>; processKey?: string; warned: boolean } = ((globalThis as Record<symbol, never>)[
  Symbol.for('use-server.keys')
] ??= { rings: new Map(), warned: false } as never)
const rings = shared.rings

const GENERATE = `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64'))"`

/** The keys that encrypt bound values, imported once per distinct configuration. */
export function getKeyRing(options: KeyOptions, dev: boolean): Promise<KeyRing> {
  const env = typeof process === 'undefined' ? {} : process.env
  let key = options.key ?? env.USE_SERVER_KEY
  const previous = options.previousKeys ?? env.USE_SERVER_PREVIOUS_KEYS?.split(',').filter(Boolean) ?? []
  if (!key) {
    if (!dev && !shared.warned) {
      shared.warned = true
      console.warn(
        `use-server: USE_SERVER_KEY is not set, so bound values are encrypted with a random key that lives and dies with this process: bound server functions in pages served by another instance or before a restart will fail. Set USE_SERVER_KEY to the same secret on every instance (generate one with ${GENERATE}).`,
      )
    }
    shared.processKey ??= encodeBase64(crypto.getRandomValues(new Uint8Array(32)))
    key = shared.processKey
  }
  const cacheKey = [key, ...previous].join(',')
  let ring = rings.get(cacheKey)
  if (!ring) {
    ring = importRing(key, previous)
    rings.set(cacheKey, ring)
  }
  return ring
}

async function importRing(key: string, previous: string[]): Promise<KeyRing> {
  const all = await Promise.all([key, ...previous].map((k, i) => importKey(k, i === 0 ? 'USE_SERVER_KEY' : `USE_SERVER_PREVIOUS_KEYS[${i - 1}]`)))
  return { current: all[0]!, all }
}

function importKey(base64: string, name: string): Promise<CryptoKey> {
  let bytes: Uint8Array<ArrayBuffer>
  try {
    bytes = new Uint8Array(decodeBase64(base64.trim()))
  } catch {
    throw new Error(`use-server: ${name} is not valid base64. Generate a key with ${GENERATE}`)
  }
  if (bytes.length !== 32) {
    throw new Error(`use-server: ${name} must be 32 bytes encoded in base64, but it decodes to ${bytes.length} bytes. Generate a key with ${GENERATE}`)
  }
  return crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt'])
}

/**
 * Loads and checks the encryption keys now rather than on the first call, so a missing or malformed
 * USE_SERVER_KEY is reported when the server starts.
 */
export async function checkServerKeys(options: KeyOptions & { dev?: boolean } = {}): Promise<void> {
  await getKeyRing(options, options.dev ?? isDevelopmentProcess())
}
