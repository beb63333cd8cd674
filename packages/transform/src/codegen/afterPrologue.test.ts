import { parse } from '@babel/parser'
import { describe, expect, test } from 'vitest'
import { afterPrologue } from './afterPrologue.js'

const at = (code: string) => afterPrologue(parse(code, { sourceType: 'module' }), code)

describe('afterPrologue', () => {
  test('follows the last directive', () => {
    const code = "'use strict'; 'use server'\nexport const x = 1"
    expect(at(code)).toEqual({ at: code.indexOf('\n'), lineStart: false })
  })

  test('is the start of the module without a prologue', () => {
    expect(at('export const x = 1')).toEqual({ at: 0, lineStart: true })
  })

  test('starts the line after a hashbang, which would otherwise swallow the statement', () => {
    const code = '#!/usr/bin/env node\r\nexport const x = 1'
    expect(at(code)).toEqual({ at: code.indexOf('export'), lineStart: true })
    expect(at('#!/usr/bin/env node')).toEqual({ at: 19, lineStart: true })
  })
})
