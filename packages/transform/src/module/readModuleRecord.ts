import type { File, Statement } from '@babel/types'
import { isUseServerNearMiss } from '../directives/nearMiss.js'
import { prologueDirectives, type PrologueDirective } from '../directives/prologueDirectives.js'
import { langOf } from '../parse/fromEstree.js'
import { skipTrivia } from '../parse/sourceTokens.js'
import type { ModuleRecordParse, StaticExportRecord } from '../types.js'
import type { ExportedValue, ModuleExport } from './collectModuleExports.js'

/** A plain 'use server' module read from its module record: what stubs and registrations need. */
export interface ModuleRecordReading {
  /** Babel's shape for what the output is placed by: the prologue's directives (no body). */
  ast: File
  /** The 'use server' directive among them. */
  directive: File['program']['directives'][number]
  /** As `collectModuleExports` gives them; statements and values carry only the positions and types the output reads. */
  exports: ModuleExport[]
}

const NAME = String.raw`[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*`
// `export async function name(` / `export default async function name?(`, a generator with `*`
const ASYNC_FUNCTION = new RegExp(String.raw`^export\s+(default\s+)?async\s+function(\s*\*)?\s*(${NAME})?\s*[(<]`, 'u')
// `export const name = async (…) =>`, `= async x =>` (the parameters in parentheses are checked below)
const ASYNC_ARROW = new RegExp(String.raw`^export\s+(?:const|let|var)\s+(${NAME})\s*=\s*async(?:\s*(\()|\s+${NAME}\s*=>)`, 'u')
// Statements that emit nothing: types, interfaces, ambient declarations.
const TYPE_ONLY = /^export\s+(?:type|interface|declare\s+(?:const|let|var|function))(?![\w$])/
const RE_EXPORT_LIST = /^export\s*\{/
// Longer heads (hundreds of spaces between words) take the full reading.
const HEAD_LENGTH = 400

/**
 * A 'use server' module read from a native parser's module record (the static exports oxc lists
 * while parsing) instead of an AST built in JavaScript, or null when anything needs the full
 * reading: a syntax error, a prologue the text alone cannot tell, no 'use server' directive, and
 * every export not certainly valid (not an async function, a local export list whose values must be
 * checked, `export *`, classes, enums, duplicates…). The answer is then the full reading's, errors
 * included; where this one answers, the output is the same as the full reading's, which the tests
 * hold on every fixture.
 */
export function readModuleRecord(code: string, id: string, parse: ModuleRecordParse): ModuleRecordReading | null {
  const prologue = prologueDirectives(code)
  const directive = prologue?.find((d) => d.value === 'use server')
  if (!prologue || !directive || prologue.some((d) => d.value === 'use client' || isUseServerNearMiss(d.value))) return null
  let record
  try {
    record = parse(id.replace(/[?#].*$/, ''), code, { lang: langOf(id) })
  } catch {
    return null
  }
  if (record.errors.length > 0) return null
  const statements = record.module.staticExports
  if (hasExportAssignment(code, statements)) return null
  const at = positions(code)
  const exports: ModuleExport[] = []
  for (const statement of statements) {
    const read = readStatement(code, statement, at)
    if (!read) return null
    for (const entry of read) exports.push(entry)
  }
  // Overloads, duplicates: the full reading decides.
  if (new Set(exports.map((e) => e.exportName)).size !== exports.length) return null
  const directives = prologue.map(asDirective)
  const ast = { type: 'File', program: { type: 'Program', directives, body: [], interpreter: null } } as unknown as File
  return { ast, directive: directives[prologue.indexOf(directive)]!, exports }
}

type Loc = ModuleExport['loc']

function readStatement(code: string, statement: StaticExportRecord, at: (offset: number) => Loc): ModuleExport[] | null {
  const text = code.slice(statement.start, statement.end)
  const { entries } = statement
  if (TYPE_ONLY.test(text.slice(0, HEAD_LENGTH))) return entries.every((entry) => entry.isType) ? [] : null
  if (RE_EXPORT_LIST.test(text.slice(0, HEAD_LENGTH))) return readReexports(statement, at)
  if (entries.length !== 1) return null
  const [entry] = entries as [StaticExportRecord['entries'][number]]
  // The patterns read a statement's head only: whatever the text, their cost stays bounded.
  const head = text.slice(0, HEAD_LENGTH)
  // Only with its body: an overload signature (`export async function f(): Promise<void>`) exports
  // nothing, and the full reading passes it over.
  const fn = ASYNC_FUNCTION.exec(head)
  if (fn && hasBodyAt(text, fn[0].length - 1)) {
    const isDefault = fn[1] !== undefined
    const local = fn[3]
    if (isDefault ? entry.exportName.kind !== 'Default' : entry.exportName.name !== local) return null
    const declaration = { type: 'FunctionDeclaration', start: entry.start }
    const node = statementNode(isDefault ? 'ExportDefaultDeclaration' : 'ExportNamedDeclaration', statement, { declaration })
    const value: ExportedValue = local ? { kind: 'declaration', local } : { kind: 'anonymousFunction', declaration: declaration as never }
    const exportName = isDefault ? 'default' : local!
    return [{ exportName, value, statement: node, loc: at(entry.start), streams: fn[2] !== undefined }]
  }
  // Only an arrow: `async function () {}` and `async (x)` (a call) may go on as operands (`+ 1`),
  // which the full reading refuses.
  const arrow = ASYNC_ARROW.exec(head)
  if (arrow && entry.exportName.name === arrow[1] && (arrow[2] === undefined || isArrowAt(text, arrow[0].length - 1))) {
    const local = arrow[1]!
    const node = statementNode('ExportNamedDeclaration', statement, { declaration: { type: 'VariableDeclaration' } })
    const loc = at(statement.start + arrow[0].indexOf(local, 6))
    return [{ exportName: local, value: { kind: 'declaration', local }, statement: node, loc, streams: false }]
  }
  return null
}

/** `export { a as b } from './m'` passes unchecked (its module is checked itself); a local list needs the values' declarations. */
function readReexports(statement: StaticExportRecord, at: (offset: number) => Loc): ModuleExport[] | null {
  const exports: ModuleExport[] = []
  let node: Statement | undefined
  for (const entry of statement.entries) {
    const source = entry.moduleRequest
    if (source === null) return null
    node ??= statementNode('ExportNamedDeclaration', statement, { source: { start: source.start } })
    if (entry.isType) continue
    const { importName, exportName } = entry
    if (importName.kind !== 'Name' || importName.start === null || importName.end === null) return null
    if (exportName.kind !== 'Name' || exportName.name === null) return null
    const imported = { start: importName.start, end: importName.end } as never
    exports.push({ exportName: exportName.name, value: { kind: 'reexport', imported }, statement: node, loc: at(entry.start), streams: false })
  }
  return exports
}

// The head of a function or arrow, read without a tokenizer: lists and types holding no string,
// template, comment or regular expression (any of which sends the module to the full reading).
const UNREAD = new Set(['"', "'", '`', '/'])
const OPENING = new Set(['(', '[', '{', '<'])
const CLOSING = new Set([')', ']', '}', '>'])
// What a type can end with, before the body's `{` or the arrow's `=>`.
const TYPE_END = /[\p{ID_Continue}$>\])}]/u

/** A function's `<T>(…): Type {` from the `<` or `(` at `open`: whether its body is there. */
function hasBodyAt(text: string, open: number): boolean {
  let i = open
  if (text[i] === '<') i = skipTrivia(text, afterBalanced(text, i, true))
  const end = text[i] === '(' ? afterReturnType(text, afterBalanced(text, i, false)) : -1
  return end >= 0 && text[end] === '{'
}

/** An arrow's `(…): Type =>` from the `(` at `open`. */
function isArrowAt(text: string, open: number): boolean {
  const end = afterReturnType(text, afterBalanced(text, open, false))
  return end >= 0 && text.startsWith('=>', end)
}

/**
 * Past the list that opens at `open` and its closing partner, `(` … `)` or `<` … `>`; -1 when it
 * holds what this does not read (and, in type parameters, `=` of a default or a function type).
 */
function afterBalanced(text: string, open: number, typeParameters: boolean): number {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!
    if (UNREAD.has(ch) || (typeParameters && ch === '=')) return -1
    const angle = ch === '<' || ch === '>'
    if (angle && !typeParameters) continue // comparisons in defaults, generics in types: not brackets here
    if (OPENING.has(ch)) depth++
    else if (CLOSING.has(ch) && --depth === 0) return i + 1
  }
  return -1
}

/**
 * Past the return type at `from` (`: Promise<Post[] | null>`), at the body's `{` or the arrow's `=>`
 * that follows it; `from` past trivia when there is none; -1 for a type this does not read. A `{` is
 * the body only after a complete type (`: { a: 1 } {`, not `: Foo | { a: 1 }`).
 */
function afterReturnType(text: string, from: number): number {
  if (from < 0) return -1
  let i = skipTrivia(text, from)
  if (text[i] !== ':') return i
  let depth = 0
  let last = ':'
  for (i++; i < text.length; i++) {
    const ch = text[i]!
    if (/\s/.test(ch)) continue
    if (depth === 0 && (ch === '{' || text.startsWith('=>', i)) && TYPE_END.test(last)) return i
    if (UNREAD.has(ch) || ch === '=') return -1
    if (OPENING.has(ch)) depth++
    else if (CLOSING.has(ch) && --depth < 0) return -1
    last = ch
  }
  return -1
}

/** TypeScript's `export = x` is no static export: found in the text (anywhere, to be sure), it sends the module to the full reading. */
function hasExportAssignment(code: string, statements: readonly StaticExportRecord[]): boolean {
  const word = /\bexport\b/g
  let next = 0 // statements come in source order: the first that does not end before the match
  let skipped = 0 // each character is skipped over once: a word inside trivia already skipped is passed
  for (let match = word.exec(code); match; match = word.exec(code)) {
    if (match.index < skipped) continue
    while (next < statements.length && statements[next]!.end <= match.index) next++
    if (next < statements.length && statements[next]!.start <= match.index) continue
    skipped = skipTrivia(code, match.index + 6)
    if (code[skipped] === '=') return true
  }
  return false
}

/** Babel's shape of an export statement, with what the registrations read of it (type, span, declaration or source). */
function statementNode(type: string, { start, end }: StaticExportRecord, parts: object): Statement {
  return { type, start, end, ...parts } as unknown as Statement
}

function asDirective({ value, start, valueEnd, end }: PrologueDirective) {
  return { type: 'Directive', start, end, value: { type: 'DirectiveLiteral', value, start, end: valueEnd } } as unknown as File['program']['directives'][number]
}

/** Line and column of increasing offsets, line ends counted as Babel counts them (the regular expression, not a loop, runs cold code fast). */
function positions(code: string): (offset: number) => Loc {
  const lineEnd = /\r\n?|[\n\u2028\u2029]/g
  let line = 1
  let lineStart = 0
  return (offset) => {
    if (offset < lineStart) [line, lineStart] = [1, 0]
    lineEnd.lastIndex = lineStart
    for (let match = lineEnd.exec(code); match && match.index < offset; match = lineEnd.exec(code)) {
      line++
      lineStart = match.index + match[0].length
    }
    return { line, column: offset - lineStart }
  }
}
