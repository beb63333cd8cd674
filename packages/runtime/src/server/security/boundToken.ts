import { decodeBase64, encodeBase64 } from '../../codec/base64.js'
import type { KeyRing } from './keys.js'

const VERSION = 1
const IV_BYTES = 12
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * Seals the serialized bound values of reference `id`: AES-256-GCM with a random IV, and the id as
 * additional authenticated data, so a token only opens for the function it was made for.
 * Format: base64url(version byte ‖ IV ‖ ciphertext+tag).
 */
export async function sealBoundValues(ring: KeyRing, id: string, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(id) }, ring.current, encoder.encode(plaintext)),
  )
  const token = new Uint8Array(1 + IV_BYTES + sealed.length)
  token[0] = VERSION
  token.set(iv, 1)
  token.set(sealed, 1 + IV_BYTES)
  return toBase64Url(token)
}

/** Opens a token for reference `id`, or returns undefined when it is malformed, forged or for another id. */
export async function openBoundValues(ring: KeyRing, id: string, token: string): Promise<string | undefined> {
  const bytes = fromBase64Url(token)
  if (!bytes || bytes.length < 1 + IV_BYTES + 16 || bytes[0] !== VERSION) return undefined
  const iv = bytes.subarray(1, 1 + IV_BYTES)
  const sealed = bytes.subarray(1 + IV_BYTES)
  const algorithm = { name: 'AES-GCM', iv, additionalData: encoder.encode(id) }
  for (const key of ring.all) {
    try {
      const plain = await crypto.subtle.decrypt(algorithm, key, sealed)
      return decoder.decode(plain)
    } catch {
      // wrong key (rotation) or tampered: try the next key
    }
  }
  return undefined
}

function toBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(token: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) return undefined
  try {
    return new Uint8Array(decodeBase64(token.replace(/-/g, '+').replace(/_/g, '/')))
  } catch {
    return undefined
  }
}
