import type { Busboy as BusboyParser } from '@fastify/busboy'
import type { IncomingCall } from './incomingCall.js'
import { PayloadError } from './validatePayload.js'

/** One field of a posted form, in the order it was sent. */
export type FormEntry = [name: string, value: string | File]

export interface FormLimits {
  /** Largest body in bytes; also the largest field and file. */
  bodyLimit: number
  bodyTimeout: number
  /** Most parts (fields and files together). */
  maxParts: number
}

const MAX_FIELD_NAME = 1024
const MAX_PART_HEADER = 8 * 1024
const MAX_PART_HEADER_LINES = 32
/**
 * The parser is handed the body in slices of this size, so that it stops within one slice of a
 * refusal: a Fetch API body may arrive as one 1 MB chunk, which it would otherwise parse to the end.
 */
const PARSE_SLICE = 8 * 1024

// The parser loads with the first form body, not with the runtime: most apps' calls are JSON, and
// loading it (a dozen CommonJS files) was a fifth of the runtime's load at dev and server start.
let Busboy: typeof BusboyParser | undefined
let loadingBusboy: Promise<typeof BusboyParser> | undefined
const loadBusboy = () => (loadingBusboy ??= import('@fastify/busboy').then((module) => (Busboy = module.Busboy)))

/**
 * Reads a multipart or urlencoded body into its fields, in order, with one streaming parser
 * (@fastify/busboy) that takes the boundary from the header itself and enforces every limit while it
 * reads: parts, field name and value sizes, file size, part headers. The body is parsed as it
 * arrives and reading stops at the first refusal, which throws a PayloadError (a 400) whose message
 * starts with `what` (or a BodyError for size and time).
 */
export async function readForm(call: IncomingCall, contentType: string, limits: FormLimits, what: string): Promise<FormEntry[]> {
  const Parser = Busboy ?? (await loadBusboy())
  let parser: InstanceType<typeof BusboyParser>
  try {
    parser = new Parser({
      headers: { 'content-type': contentType },
      // Multipart parts are counted by the parser itself, skipped ones included (a part without a
      // form-data Content-Disposition never reaches the handlers below). Fields one over ours: the
      // count below sees one too many (busboy's urlencoded parser stops at its limit without saying so).
      limits: {
        parts: limits.maxParts,
        fields: limits.maxParts + 1,
        files: limits.maxParts + 1,
        fieldNameSize: MAX_FIELD_NAME,
        fieldSize: limits.bodyLimit,
        fileSize: limits.bodyLimit,
        headerSize: MAX_PART_HEADER,
        headerPairs: MAX_PART_HEADER_LINES,
      },
      // As browsers and the Fetch API see it: a part is a file when it has a file name.
      isPartAFile: (_name, _type, fileName) => fileName !== undefined,
    })
  } catch (error) {
    throw new PayloadError(`${what} could not be parsed: ${(error as Error).message.replace(/\.$/, '')}`)
  }

  const entries: Array<FormEntry | Promise<FormEntry>> = []
  let failure: Error | undefined
  const fail = (error: Error) => (failure ??= error)
  const tooManyParts = () => fail(new PayloadError(`${what} has more than ${limits.maxParts} parts, over the limit (limits.maxParts)`))
  /** Whether one more part may come in; past the limit, the body is refused. */
  const accepting = () => {
    if (failure) return false
    if (entries.length < limits.maxParts) return true
    tooManyParts()
    return false
  }
  parser.on('partsLimit', tooManyParts)
  parser.on('field', (name, value, nameTruncated, valueTruncated) => {
    if (!accepting()) return
    if (nameTruncated) fail(new PayloadError(`${what} has a field name longer than ${MAX_FIELD_NAME} bytes`))
    else if (valueTruncated) fail(new PayloadError(`${what} has a field over ${limits.bodyLimit} bytes`))
    else entries.push([name, value])
  })
  parser.on('file', (name, stream, fileName, _encoding, type) => {
    // A body that ends inside a file errors its stream as well as the parser: handled here, or it
    // would be an uncaught exception. The parser's own error says what happened.
    stream.on('error', () => {})
    if (!accepting()) return void stream.resume()
    const chunks: Uint8Array<ArrayBuffer>[] = []
    stream.on('data', (chunk: Buffer) => joinOrPush(chunks, chunk as Uint8Array<ArrayBuffer>))
    stream.on('limit', () => fail(new PayloadError(`${what} has a file over ${limits.bodyLimit} bytes`)))
    entries.push(
      new Promise<FormEntry>((resolve) => stream.on('end', () => resolve([name, new File(chunks, fileName, { type: type ?? '' })]))),
    )
  })
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('finish', resolve)
    parser.on('error', (error: Error) => reject(fail(new PayloadError(`${what} could not be parsed: ${error.message.replace(/\.$/, '')}`))))
  })
  finished.catch(() => {}) // awaited after the body; meanwhile `failure` stops the body

  await call.streamBody(limits.bodyLimit, limits.bodyTimeout, (chunk) => {
    for (let offset = 0; offset < chunk.byteLength && !failure; offset += PARSE_SLICE) parser.write(chunk.subarray(offset, offset + PARSE_SLICE))
    if (failure) throw failure
  })
  parser.end()
  await finished
  if (failure) throw failure
  return Promise.all(entries)
}

/**
 * Adds a piece of a file to its list, as one view with the previous piece when the two lie side by
 * side in the same buffer (they are slices of one socket read): a File copies each piece into a
 * store of its own, and the parser's 8 KB slices made a 1 MB upload 128 pieces, twice the cost of
 * the 16 reads it came in.
 */
function joinOrPush(pieces: Uint8Array<ArrayBuffer>[], piece: Uint8Array<ArrayBuffer>): void {
  const last = pieces[pieces.length - 1]
  if (last && last.buffer === piece.buffer && last.byteOffset + last.byteLength === piece.byteOffset) {
    pieces[pieces.length - 1] = new Uint8Array(last.buffer, last.byteOffset, last.byteLength + piece.byteLength)
  } else {
    pieces.push(piece)
  }
}

/** Form entries as the FormData an app's function receives. */
export function toFormData(entries: Iterable<FormEntry>): FormData {
  const form = new FormData()
  for (const [name, value] of entries) form.append(name, value)
  return form
}
