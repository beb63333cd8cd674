const LF = 10
const AMPERSAND = 38
const utf8 = new TextEncoder()

/**
 * How many fields a posted form holds, before anything is parsed: multipart parts (see below), or the
 * `&`-separated pairs of an urlencoded body, which the platform parses at about 1 µs a field (a 1 MB
 * body of empty fields would hold ~350 000).
 */
export function countFormParts(body: Uint8Array, contentType: string): number {
  if (!/^application\/x-www-form-urlencoded/i.test(contentType)) return countMultipartParts(body, contentType)
  if (body.length === 0) return 0
  let fields = 1
  for (let at = body.indexOf(AMPERSAND); at !== -1; at = body.indexOf(AMPERSAND, at + 1)) fields++
  return fields
}

/**
 * How many parts a multipart body holds, counted by its boundary before anything is parsed: the
 * platform's `formData()` spends about 50 µs on each file part, so a 1 MB body of 15 000 empty
 * files would cost most of a second before any limit applied. A delimiter counts where it opens a
 * line (or the body); the closing one is not a part. Returns 0 without a boundary (the parse refuses it).
 */
export function countMultipartParts(body: Uint8Array, contentType: string): number {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType)
  if (!match) return 0
  const delimiter = utf8.encode(`--${match[1] ?? match[2]}`)
  let delimiters = 0
  for (let at = 0; at >= 0; ) {
    if (startsWith(body, delimiter, at)) delimiters++
    const newline = body.indexOf(LF, at)
    at = newline === -1 ? -1 : newline + 1
  }
  return Math.max(0, delimiters - 1)
}

function startsWith(body: Uint8Array, prefix: Uint8Array, at: number): boolean {
  if (at + prefix.length > body.length) return false
  for (let i = 0; i < prefix.length; i++) if (body[at + i] !== prefix[i]) return false
  return true
}
