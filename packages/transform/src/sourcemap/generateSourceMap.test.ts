import fc from 'fast-check'
import { decodedMappings, originalPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import MagicString, { type SourceMap } from 'magic-string'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { generateInlineModules } from '../../../../bench/transform/generateInlineModules.js'
import { generateServerModules } from '../../../../bench/transform/generateServerModules.js'
import { transformServerFunctions } from '../transformServerFunctions.js'
import { generateSourceMap } from './generateSourceMap.js'

// The map written from the edit record must be magic-string's boundary map without its segments at
// white space: every other segment the same (generated line and column to the same original line and
// column), so every kept token has its exact position, and every inserted line leads to where it was
// inserted; and nothing else. Checked on the transform's real edits (every fixture, both bench
// corpora) and on random edits of text full of line breaks, CRLF, non-ASCII and astral characters.

const reference = (s: MagicString, id: string) => s.generateMap({ hires: 'boundary', source: id, includeContent: true })

const decode = (mappings: string) => decodedMappings(new TraceMap({ version: 3, sources: ['m'], names: [], mappings })) as unknown as number[][][]

/** `ours` is `magicString`'s map (for the generated `code`) less some segments at white space. */
function expectSameTokenMappings(ours: SourceMap | { mappings: '' }, magicString: SourceMap, code: string, label: string) {
  const { mappings, ...rest } = ours as SourceMap
  const { mappings: _, ...restOfReference } = magicString
  expect(rest, label).toEqual(restOfReference)
  const lines = code.split('\n')
  const actual = decode(mappings)
  const expected = decode(magicString.mappings).map((segments, line) => {
    const kept = new Set(actual[line]?.map((segment) => segment.join()))
    return segments.filter((segment) => !/^[\t\v\f\r ]$/.test(lines[line]![segment[0]!]!) || kept.has(segment.join()))
  })
  while (expected.length > actual.length && expected.at(-1)!.length === 0) expected.pop()
  expect(actual, label).toEqual(expected)
  expectSameLookups(mappings, magicString.mappings, lines, label)
  return { segments: expected.flat().length, atSpaces: decode(magicString.mappings).flat().length - expected.flat().length }
}

/**
 * What a stack trace or a debugger reads: every generated character but white space leads to the same
 * original position in both maps (inserted text after an indent too, which looks up the segment before it).
 */
function expectSameLookups(mappings: string, reference: string, lines: string[], label: string) {
  const [ours, theirs] = [mappings, reference].map((m) => new TraceMap({ version: 3, sources: ['m'], names: [], mappings: m }))
  lines.forEach((text, line) => {
    for (let column = 0; column < text.length; column++) {
      if (/[\t\v\f\r ]/.test(text[column]!)) continue
      const position = { line: line + 1, column }
      const [a, b] = [originalPositionFor(ours!, position), originalPositionFor(theirs!, position)]
      if (a.line !== b.line || a.column !== b.column) expect({ ...position, found: a }, label).toEqual({ ...position, found: b })
    }
  })
}

describe('the transform’s maps', () => {
  afterEach(() => vi.restoreAllMocks())

  /** Transforms `code` for the server, and gives its map beside magic-string's for the same edits. */
  function bothMaps(code: string, id: string, root: string) {
    let edited: MagicString | undefined
    const toString = MagicString.prototype.toString
    vi.spyOn(MagicString.prototype, 'toString').mockImplementation(function (this: MagicString) {
      edited = this
      return toString.call(this)
    })
    let result
    try {
      result = transformServerFunctions(code, id, { target: 'server', root })
    } catch {
      return null // error fixtures: no output, no map
    } finally {
      vi.restoreAllMocks()
    }
    if (!result) return null
    return expectSameTokenMappings(result.map, reference(edited!, id), result.code, id)
  }

  test('every fixture input', () => {
    const root = fileURLToPath(new URL('../../../../fixtures/transform/', import.meta.url))
    let compared = 0
    for (const name of readdirSync(root)) {
      const file = readdirSync(join(root, name)).find((f) => f.startsWith('input.'))
      if (!file) continue
      const id = join(root, name, file)
      if (bothMaps(readFileSync(id, 'utf8'), id, root)) compared++
    }
    expect(compared).toBeGreaterThan(80)
  })

  test.each([
    ['inline functions', generateInlineModules(240)],
    ["'use server' modules", generateServerModules(240)],
  ])('the bench corpus: %s', (_, inputs) => {
    let segments = 0
    let atSpaces = 0
    for (const { code, id } of inputs) {
      const counts = bothMaps(code, id, '/bench/app')!
      segments += counts.segments
      atSpaces += counts.atSpaces
    }
    // what is left out: spaces, indentation mostly
    expect(atSpaces / (segments + atSpaces)).toBeGreaterThan(0.2)
  })
})

describe('random edits', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'Z', '_', '9', ' ', '\n', '\r\n', '\t', '(', '.', 'é', '😀', '\u2028', '$'), maxLength: 80 })
  const edit = fc.record({
    kind: fc.constantFrom('overwrite', 'remove', 'appendLeft', 'appendRight', 'prependLeft', 'prependRight', 'move', 'prepend', 'append'),
    a: fc.nat(),
    b: fc.nat(),
    c: fc.nat(),
    content: text,
  })

  test('map as magic-string’s boundary map does, less its segments at white space', () => {
    fc.assert(
      fc.property(text, fc.array(edit, { maxLength: 8 }), (code, edits) => {
        const s = new MagicString(code)
        for (const { kind, a, b, c, content } of edits) {
          const n = code.length + 1
          const [start, end] = [a % n, b % n].sort((x, y) => x - y) as [number, number]
          try {
            if (kind === 'overwrite' && start < end) s.overwrite(start, end, content)
            else if (kind === 'remove' && start < end) s.remove(start, end)
            else if (kind === 'move' && start < end) s.move(start, end, c % n)
            else if (kind === 'prepend' || kind === 'append') s[kind](content)
            else if (kind !== 'overwrite' && kind !== 'remove' && kind !== 'move') s[kind](start, content)
          } catch {
            // an edit magic-string refuses (moving a range into itself, splitting an edited chunk)
          }
        }
        const id = 'C:\\app\\src\\module.ts'
        expectSameTokenMappings(generateSourceMap(s, code, id), reference(s, id), s.toString(), code)
      }),
      { numRuns: 3000 },
    )
  })

  test('large columns and line differences (multi-digit numbers)', () => {
    const code = `${'x'.repeat(70_000)} y\n${'\n'.repeat(5000)}z = 1`
    const s = new MagicString(code)
    s.move(0, 10, code.length)
    s.overwrite(70_001, 70_002, 'Y\n\nY')
    expectSameTokenMappings(generateSourceMap(s, code, '/m.ts'), reference(s, '/m.ts'), s.toString(), 'large')
  })
})
