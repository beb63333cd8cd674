import { countFormParts } from './countFormParts.js'
import { PayloadError } from './validatePayload.js'

/**
 * Parses a multipart or urlencoded body into FormData once its parts are counted and found within
 * `maxParts`. Anything refused throws a PayloadError (a 400) whose message starts with `what`.
 */
export async function parseForm(body: Uint8Array, contentType: string, maxParts: number, what: string): Promise<FormData> {
  const parts = countFormParts(body, contentType)
  if (parts > maxParts) throw new PayloadError(`${what} has ${parts} parts, over the limit of ${maxParts}`)
  try {
    return await new Response(body as BodyInit, { headers: { 'content-type': contentType } }).formData()
  } catch {
    throw new PayloadError(`${what} could not be parsed`)
  }
}
