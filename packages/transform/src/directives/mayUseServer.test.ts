import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { mayHaveInlineDirective, mayUseServer, SERVER_DIRECTIVE_FILTER } from './mayUseServer.js'

describe('mayUseServer', () => {
  test.each([
    "'use server'\nexport async function f() {}",
    "function f() { 'use server' }",
    "function f() { 'use sever' }",
    'function f() { "useServer" }',
    "function f() { 'Use Server'; }",
    "function f() { 'us server' }",
    "\"use-server\"\nexport const x = 1",
  ])('%j may', (code) => expect(mayUseServer(code)).toBe(true))

  test.each([
    "'use strict'\nexport const x = 1",
    "'use client'\nexport const x = 1",
    "import 'server-only'\nconst service = 'user-service'",
    'export function useServerState() {}',
  ])('%j may not', (code) => expect(mayUseServer(code)).toBe(false))
})

describe('mayUseServer: only where a statement can start', () => {
  test.each([
    ["'use server'\nexport async function f() {}", 'a file prologue'],
    ["#!/usr/bin/env node\n'use server'", 'a prologue after a hashbang'],
    ["#!/usr/bin/env node\u2028'use server'", 'a prologue after a hashbang ended by U+2028'],
    ["\uFEFF\"use server\"", 'a prologue after a BOM'],
    ["'use strict'; 'use server'", 'a second directive'],
    ["'use strict'\n'use server'", 'a second directive without semicolon'],
    ['/* actions */ "use server"', 'a block comment before it'],
    ["async function save() {\n  'use server'\n}", 'a function body'],
    ["const f = async () => { 'use server'; return 1 }", 'an arrow body'],
    ["async function save() { // persists the post\n  'use server'\n}", 'a line comment before it'],
    ["const u = 'http://x'; async function f() {\n  // note\n  'use server'\n}", 'a line comment line, conservatively'],
    ["import { db } from './db'\n'use server'", 'after an import (no directive: worth a warning)'],
    ["async function f() {\n  await save()\n  'use server'\n}", 'after another statement (no directive: worth a warning)'],
    ["('use server')\nexport async function f() {}", 'in parentheses (no directive: worth a warning)'],
    ["let n = 0\nn++\n'use server'", 'on a line after n++ (no directive: worth a warning)'],
    ["const x = <div />\n'use server'", 'on a line after JSX (no directive: worth a warning)'],
  ])('finds %j (%s)', (code) => {
    expect(mayUseServer(code)).toBe(true)
  })

  test.each([
    ['throw new Error(\'mark it with "use server" to expose it\')', 'a mention inside a message'],
    ["const text = `a 'use server' module`", 'a mention in a template'],
    ["log('use server')", 'a call argument'],
    ["const directive = 'use server'", 'an assignment'],
    ['export async function f() {}', 'no mention at all'],
    ["if (x === 'use server') {}", 'a comparison'],
    ["const all = [\n  'use client',\n  'use server',\n]", 'a list on several lines'],
    ["const text = 'mark it with' +\n  'use server'", 'a concatenation on several lines'],
  ])('skips %j (%s)', (code) => {
    expect(mayUseServer(code)).toBe(false)
  })
})

describe('mayHaveInlineDirective', () => {
  test('looks past the module directive only', () => {
    const code = "'use server'\nexport async function f() {}"
    expect(mayHaveInlineDirective(code, 12)).toBe(false)
    expect(mayHaveInlineDirective(code + "\nfunction g() { 'use server' }", 12)).toBe(true)
    expect(mayHaveInlineDirective(code + "\nfunction g() { 'use sever' }", 12)).toBe(true)
  })
})

describe('SERVER_DIRECTIVE_FILTER', () => {
  const fixtures = new URL('../../../../fixtures/transform/', import.meta.url)
  const fixtureInputs = readdirSync(fixtures).flatMap((name) => {
    const input = readdirSync(new URL(`${name}/`, fixtures)).find((file) => file.startsWith('input.'))
    return input ? [readFileSync(new URL(`${name}/${input}`, fixtures), 'utf8')] : []
  })

  test.each([
    ...['use sever', 'use-server', 'Use Server', 'useServer', 'us server', 'use sarver', 'usr server'].flatMap((spelling) => [
      `'${spelling}'\nexport async function f() {}`,
      `#!/usr/bin/env node\r\n// actions\r\n/* of posts */ "${spelling}";`,
      `'use strict'; '${spelling}'`,
      `// actions\u2028\u00a0'${spelling}'`,
    ]),
    ...['use sever', 'useServer', 'us server', 'use srver'].map((spelling) => `async function f() { '${spelling}' }`),
    "\uFEFF'use sarver'",
  ])('lets %j through, as mayUseServer does', (code) => {
    expect(mayUseServer(code)).toBe(true)
    expect(SERVER_DIRECTIVE_FILTER.test(code)).toBe(true)
  })

  test('lets through every fixture that mayUseServer accepts', () => {
    const accepted = fixtureInputs.filter(mayUseServer)
    expect(accepted.length).toBeGreaterThan(100)
    expect(accepted.filter((code) => !SERVER_DIRECTIVE_FILTER.test(code))).toEqual([])
  })

  test('reads long runs of comments in linear time (a backtracking pattern took minutes)', () => {
    const started = performance.now()
    for (const code of ['// ' + '//'.repeat(5_000) + '\nconst x = 1', ' /* '.repeat(5_000) + '*/ const x', '/**/'.repeat(5_000) + 'x', `x = 'use server${' '.repeat(5_000)}x`]) {
      expect(SERVER_DIRECTIVE_FILTER.test(code)).toBe(false)
    }
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  test.each(['export const x = 1', "import 'server-only'\nconst service = 'user-service'", 'export function useServerState() {}'])('keeps %j out', (code) => {
    expect(SERVER_DIRECTIVE_FILTER.test(code)).toBe(false)
  })
})
