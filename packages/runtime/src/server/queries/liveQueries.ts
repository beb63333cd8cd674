import { decodeBase64 } from '../../codec/base64.js'
import { REFERENCE_TAG } from '../../codec/devalueFormat.js'
import type { LiveQuery } from '../../shared/protocol.js'
import { PayloadError, validatePayload, type DecodeLimits } from '../request/validatePayload.js'

/** Longest queries header read, base64 (Node itself refuses headers past 16 KB in all). */
const MAX_HEADER = 64 * 1024
const MAX_DEPENDENCIES = 64
const MAX_NAME = 1024
const CUSTOM_TAGS = new Set([REFERENCE_TAG])
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The queries a call's page shows (its `x-use-server-queries` header: base64url of the JSON list),
 * checked before the function runs. Anything malformed is a PayloadError (a 400): the function does
 * not run.
 */
export function readLiveQueries(header: string | null, limits: DecodeLimits): LiveQuery[] | undefined {
  if (header === null || header === '') return undefined
  if (header.length > MAX_HEADER) throw new PayloadError(`the queries header is longer than ${MAX_HEADER} characters`)
  let json: string
  try {
    json = utf8.decode(new Uint8Array(decodeBase64(header.replace(/-/g, '+').replace(/_/g, '/'))))
  } catch {
    throw new PayloadError('the queries header is not base64url of JSON')
  }
  return parseLiveQueries(json, limits, 'the queries header')
}

/**
 * A list of queries (a call's header, or a refresh request's body): at most `maxQueries`, each a
 * server function reference in devalue's format (checked like a payload, decoded only when it runs)
 * or a page path, with bounded tags and paths.
 */
export function parseLiveQueries(json: string, limits: DecodeLimits, where: string): LiveQuery[] {
  let entries: unknown
  try {
    entries = JSON.parse(json)
  } catch {
    throw new PayloadError(`${where} is not JSON`)
  }
  if (!Array.isArray(entries)) throw new PayloadError(`${where} is not a list`)
  if (entries.length > limits.maxQueries) throw new PayloadError(`${where} lists ${entries.length} queries, over the limit of ${limits.maxQueries} (limits.maxQueries)`)
  return entries.map((entry, index) => readEntry(entry, index, limits, where))
}

function readEntry(entry: unknown, index: number, limits: DecodeLimits, where: string): LiveQuery {
  const refuse = (why: string) => new PayloadError(`query ${index} of ${where} ${why}`)
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw refuse('is not an object')
  const { call, page, tags, paths } = entry as Record<string, unknown>
  const names = (list: unknown, what: string, path: boolean): string[] => {
    if (!Array.isArray(list) || list.length > MAX_DEPENDENCIES) throw refuse(`has no list of at most ${MAX_DEPENDENCIES} ${what}`)
    for (const name of list) {
      if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME || (path && !name.startsWith('/'))) throw refuse(`has a malformed entry in its ${what}`)
    }
    return list as string[]
  }
  const dependencies = { tags: names(tags, 'tags', false), paths: names(paths, 'paths', true) }
  if (typeof page === 'string' && call === undefined) {
    if (!page.startsWith('/') || page.startsWith('//') || page.length > MAX_NAME) throw refuse('names a page that is not a path')
    return { page, ...dependencies }
  }
  if (typeof call !== 'string' || page !== undefined) throw refuse('has neither a call nor a page')
  let parsed: unknown
  try {
    parsed = JSON.parse(call)
  } catch {
    throw refuse('has a call that is not JSON')
  }
  validatePayload(parsed, CUSTOM_TAGS, limits)
  const root = Array.isArray(parsed) ? parsed[0] : undefined
  if (!Array.isArray(root) || root[0] !== REFERENCE_TAG) throw refuse('has a call that is not a server function')
  return { call, ...dependencies }
}
