import { describe, expect, test } from 'vitest'
import { hasDirectiveCandidate } from './hasDirectiveCandidate.js'

describe('hasDirectiveCandidate', () => {
  test.each([
    ["'use server'\nexport async function f() {}", 'a file prologue'],
    ["#!/usr/bin/env node\n'use server'", 'a prologue after a hashbang'],
    ["\uFEFF\"use server\"", 'a prologue after a BOM'],
    ["'use strict'; 'use server'", 'a second directive'],
    ["'use strict'\n'use server'", 'a second directive without semicolon'],
    ['/* actions */ "use server"', 'a block comment before it'],
    ["async function save() {\n  'use server'\n}", 'a function body'],
    ["const f = async () => { 'use server'; return 1 }", 'an arrow body'],
    ["async function save() { // persists the post\n  'use server'\n}", 'a line comment before it'],
    ["const u = 'http://x'; async function f() {\n  // note\n  'use server'\n}", 'a line comment line, conservatively'],
  ])('finds %j (%s)', (code) => {
    expect(hasDirectiveCandidate(code)).toBe(true)
  })

  test.each([
    ['throw new Error(\'mark it with "use server" to expose it\')', 'a mention inside a message'],
    ["const text = `a 'use server' module`", 'a mention in a template'],
    ["log('use server')", 'a call argument'],
    ["const directive = 'use server'", 'an assignment'],
    ['export async function f() {}', 'no mention at all'],
    ["if (x === 'use server') {}", 'a comparison'],
  ])('skips %j (%s)', (code) => {
    expect(hasDirectiveCandidate(code)).toBe(false)
  })
})
