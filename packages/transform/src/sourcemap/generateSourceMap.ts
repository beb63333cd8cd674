import { SourceMap, type default as MagicString } from 'magic-string'
import { Buffer } from 'node:buffer'

// The source map of an edited module, written straight from the edit record, without an array per
// segment. Kept text maps at every word start and every other character but white space, so each
// token keeps its exact line and column (stack traces, breakpoints); inserted text maps to where it
// was inserted, at the start of each of its lines. That is magic-string's `generateMap({ hires:
// 'boundary' })` without its segments at spaces, tabs and CRs (40 % of them, where no token starts);
// tests compare the two segment by segment.

/** The parts of magic-string's chunk list read here (internal, but the record `toString` writes). */
interface Chunk {
  start: number
  end: number
  intro: string
  outro: string
  content: string
  edited: boolean
  next: Chunk | null
}
interface EditRecord {
  intro: string
  outro: string
  firstChunk?: Chunk
  storedNames?: Record<string, boolean>
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const DIGIT = Uint8Array.from(BASE64, (c) => c.charCodeAt(0))
const COMMA = 44
const SEMICOLON = 59
const NEWLINE = 10
const A = DIGIT[0]!
/** The largest buffer kept between maps: the mappings of a module of ~2 MB (about 2 bytes per character). */
const MAX_SHARED = 1 << 22
/** ASCII letters, digits and `_`: the characters magic-string counts as inside a word. */
const WORD = new Uint8Array(128)
for (let c = 0; c < 128; c++) WORD[c] = /\w/.test(String.fromCharCode(c)) ? 1 : 0
/** Tab, vertical tab, form feed, carriage return and space: no token starts there. */
const SPACE = new Uint8Array(128)
for (const c of [9, 11, 12, 13, 32]) SPACE[c] = 1

/** `s`'s source map for the module `code` read from `id`, with `code` as its sources content. */
export function generateSourceMap(s: MagicString, code: string, id: string): SourceMap {
  const record = s as unknown as EditRecord
  // A magic-string whose record is not the one read here, or one that stored names: its own map.
  if (!record.firstChunk || Object.keys(record.storedNames ?? {}).length > 0) {
    return s.generateMap({ hires: 'boundary', source: id, includeContent: true })
  }
  const writer = new MappingsWriter(code)
  if (record.intro) writer.inserted(record.intro)
  for (let chunk: Chunk | null = record.firstChunk; chunk; chunk = chunk.next) {
    if (chunk.intro) writer.inserted(chunk.intro)
    if (!chunk.edited) writer.kept(chunk.start, chunk.end)
    else if (chunk.content) writer.edit(chunk.start, chunk.content)
    if (chunk.outro) writer.inserted(chunk.outro)
  }
  if (record.outro) writer.inserted(record.outro)
  return new SourceMap({
    file: undefined,
    sources: [id.split(/[/\\]/).join('/')],
    sourcesContent: [code],
    names: [],
    mappings: writer.finish(),
  })
}

// The bytes are written into one buffer, kept from map to map (writing is synchronous): a buffer
// per map would be memory outside V8's heap that only a full garbage collection gives back.
let shared: Buffer = Buffer.allocUnsafe(1 << 16)

class MappingsWriter {
  private buffer: Buffer = shared
  private length = 0
  private readonly lineStarts: number[] = [0]
  // generated position, and the previous segment's fields (VLQ encodes each as a difference)
  private column = 0
  private previousColumn = 0
  private previousLine = 0
  private previousOriginalColumn = 0
  private lineHasSegment = false

  constructor(private readonly code: string) {
    for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) this.lineStarts.push(i + 1)
  }

  /** Text that has no place in the source (before or after a chunk): moves the generated position only. */
  inserted(text: string): void {
    if (text.length === 0) return
    const last = text.lastIndexOf('\n')
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.newLine()
    this.column += text.length - last - 1
  }

  /** Text that replaces the source at `start`: each of its lines maps to `start`. */
  edit(start: number, content: string): void {
    const line = this.lineOf(start)
    const column = start - this.lineStarts[line]!
    let lineEnd = content.indexOf('\n')
    let lineStart = 0
    while (lineEnd >= 0 && lineEnd < content.length - 1) {
      this.segment(line, column)
      this.newLine()
      lineStart = lineEnd + 1
      lineEnd = content.indexOf('\n', lineStart)
    }
    this.segment(line, column)
    this.inserted(content.slice(lineStart))
  }

  /** Source text kept as it was, from `start` to `end`: the hot loop, with the writer's state in locals. */
  kept(start: number, end: number): void {
    const code = this.code
    let line = this.lineOf(start)
    let originalColumn = start - this.lineStarts[line]!
    let { buffer, length: at, column, previousColumn, previousLine, previousOriginalColumn, lineHasSegment } = this
    let limit = buffer.length - 32 // a segment takes at most a comma and four numbers of 7 digits
    for (let i = start; i < end; i++) {
      const c = code.charCodeAt(i)
      if (c === NEWLINE) {
        if (at >= limit) {
          buffer = this.grow(at)
          limit = buffer.length - 32
        }
        buffer[at++] = SEMICOLON
        line++
        originalColumn = column = previousColumn = 0
        lineHasSegment = false
        continue
      }
      // a segment at the start of every word and at every other character, but none at white space,
      // except a chunk's last character: text inserted after it (`const save = register…` after an
      // indent) maps there, as in magic-string's map, not to nothing or to the line before
      if (c < 128 && SPACE[c] === 1 && i !== end - 1) {
        originalColumn++
        column++
        continue
      }
      if (at >= limit) {
        buffer = this.grow(at)
        limit = buffer.length - 32
      }
      if (lineHasSegment) buffer[at++] = COMMA
      lineHasSegment = true
      // mostly small differences: one digit each
      const columnStep = column - previousColumn
      if (columnStep >= 0 && columnStep < 16) buffer[at++] = DIGIT[columnStep << 1]!
      else at = writeVlq(buffer, at, columnStep)
      buffer[at++] = A
      if (line === previousLine) buffer[at++] = A
      else at = writeVlq(buffer, at, line - previousLine)
      const originalStep = originalColumn - previousOriginalColumn
      if (originalStep >= 0 && originalStep < 16) buffer[at++] = DIGIT[originalStep << 1]!
      else at = writeVlq(buffer, at, originalStep)
      previousColumn = column
      previousLine = line
      previousOriginalColumn = originalColumn
      let next = i + 1
      if (c < 128 && WORD[c] === 1) {
        for (let w = code.charCodeAt(next); next < end && w < 128 && WORD[w] === 1; w = code.charCodeAt(++next));
      }
      originalColumn += next - i
      column += next - i
      i = next - 1
    }
    this.length = at
    this.column = column
    this.previousColumn = previousColumn
    this.previousLine = previousLine
    this.previousOriginalColumn = previousOriginalColumn
    this.lineHasSegment = lineHasSegment
  }

  finish(): string {
    return this.buffer.toString('latin1', 0, this.length)
  }

  private segment(line: number, originalColumn: number): void {
    const buffer = this.length + 32 > this.buffer.length ? this.grow(this.length) : this.buffer
    let at = this.length
    if (this.lineHasSegment) buffer[at++] = COMMA
    this.lineHasSegment = true
    at = writeVlq(buffer, at, this.column - this.previousColumn)
    buffer[at++] = A // the only source
    at = writeVlq(buffer, at, line - this.previousLine)
    at = writeVlq(buffer, at, originalColumn - this.previousOriginalColumn)
    this.length = at
    this.previousColumn = this.column
    this.previousLine = line
    this.previousOriginalColumn = originalColumn
  }

  private newLine(): void {
    const buffer = this.length + 1 > this.buffer.length ? this.grow(this.length) : this.buffer
    buffer[this.length++] = SEMICOLON
    this.column = 0
    this.previousColumn = 0
    this.lineHasSegment = false
  }

  /** A buffer twice as large, holding the `length` bytes written so far. */
  private grow(length: number): Buffer {
    const next = Buffer.allocUnsafe(this.buffer.length * 2)
    this.buffer.copy(next, 0, 0, length)
    if (next.length <= MAX_SHARED) shared = next
    return (this.buffer = next)
  }

  /** The 0-based line of offset `index` of the source. */
  private lineOf(index: number): number {
    const starts = this.lineStarts
    let low = 0
    let high = starts.length
    while (low < high) {
      const middle = (low + high) >> 1
      if (index < starts[middle]!) high = middle
      else low = middle + 1
    }
    return low - 1
  }
}

function writeVlq(buffer: Buffer, at: number, value: number): number {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1
  do {
    let digit = rest & 31
    rest >>>= 5
    if (rest > 0) digit |= 32
    buffer[at++] = DIGIT[digit]!
  } while (rest > 0)
  return at
}
