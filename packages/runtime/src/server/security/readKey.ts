import { decodeBase64 } from '../../codec/base64.js'

export const GENERATE_KEY = `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64'))"`

/** The 32 bytes of a base64 key, or an error that names where the key came from and how to make one. */
export function readKey(base64: unknown, name: string): Uint8Array<ArrayBuffer> {
  if (typeof base64 !== 'string') throw new TypeError(`use-server: ${name} must be a string (base64 of 32 bytes), not ${typeof base64}. Generate a key with ${GENERATE_KEY}`)
  let bytes: Uint8Array<ArrayBuffer>
  try {
    bytes = new Uint8Array(decodeBase64(base64.trim()))
  } catch {
    throw new Error(`use-server: ${name} is not valid base64. Generate a key with ${GENERATE_KEY}`)
  }
  if (bytes.length !== 32) {
    throw new Error(`use-server: ${name} must be 32 bytes encoded in base64, but it decodes to ${bytes.length} bytes. Generate a key with ${GENERATE_KEY}`)
  }
  return bytes
}
