import { describe, expect, test } from 'vitest'
import { scanPrologueStrings } from './scanPrologue.js'

describe('scanPrologueStrings', () => {
  test('reads every leading string, across comments, semicolons, a BOM and a hashbang', () => {
    const code = "\uFEFF#!/usr/bin/env node\n// note\n/* block */ 'use strict'; \"use sever\"\nexport const x = 1"
    expect(scanPrologueStrings(code)).toEqual(['use strict', 'use sever'])
  })

  test('a hashbang ends at any line break, as a comment does', () => {
    expect(scanPrologueStrings("#!/usr/bin/env node\r'use sever'\nexport const x = 1")).toEqual(['use sever'])
    expect(scanPrologueStrings("#!/usr/bin/env node\u2028'use sever'\n'b'")).toEqual(['use sever', 'b'])
  })

  test('stops at the first statement', () => {
    expect(scanPrologueStrings("import x from 'y'\n'use sever'")).toEqual([])
  })

  test('keeps escapes raw and survives unterminated strings', () => {
    expect(scanPrologueStrings("'it\\'s'")).toEqual(["it\\'s"])
    expect(scanPrologueStrings("'unterminated\n")).toEqual([])
  })
})
