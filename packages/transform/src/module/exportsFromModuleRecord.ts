import { isUseServerNearMiss } from '../directives/nearMiss.js'
import { prologueDirectives } from '../directives/prologueDirectives.js'
import { langOf } from '../parse/fromEstree.js'
import { skipTrivia } from '../parse/sourceTokens.js'
import type { ModuleRecordParse, StaticExportRecord } from '../types.js'

/** What a client stub needs of an export. */
export interface StubbedExport {
  exportName: string
  /** Start of the function or binding (as `collectModuleExports` gives it). */
  loc: { line: number; column: number }
  /** An async generator function: its stub reads a streamed answer. */
  streams: boolean
}

const NAME = String.raw`[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*`
// `export async function name(` / `export default async function name?(`, a generator with `*`
const ASYNC_FUNCTION = new RegExp(String.raw`^export\s+(default\s+)?async\s+function(\s*\*)?\s*(${NAME})?\s*[(<]`, 'u')
// `export const name = async (…) =>`, `= async x =>` (the parameters in parentheses are checked below)
const ASYNC_ARROW = new RegExp(String.raw`^export\s+(?:const|let|var)\s+(${NAME})\s*=\s*async(?:\s*(\()|\s+${NAME}\s*=>)`, 'u')
// Statements that emit nothing: types, interfaces, ambient declarations.
const TYPE_ONLY = /^export\s+(?:type|interface|declare\s+(?:const|let|var|function))(?![\w$])/
const RE_EXPORT_LIST = /^export\s*\{/

/**
 * The exports of a 'use server' module for its client stubs, read from a native parser's module
 * record (the static exports oxc lists while parsing) instead of an AST built in JavaScript, or
 * null when anything needs the full reading: a syntax error, a prologue the text alone cannot tell,
 * no 'use server' directive, and every export not certainly valid (not an async function, a
 * re-exported local whose value must be checked, `export *`, classes, enums, duplicates…). The
 * answer is then the full path's, errors included; where this one answers, it is the same as the
 * full path's (names, order, locations, streaming), which the tests hold on every fixture.
 */
export function exportsFromModuleRecord(code: string, id: string, parse: ModuleRecordParse): StubbedExport[] | null {
  const directives = prologueDirectives(code)
  if (!directives?.includes('use server') || directives.some((d) => d === 'use client' || isUseServerNearMiss(d))) return null
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
  const exports: StubbedExport[] = []
  for (const statement of statements) {
    const read = readStatement(code, statement, at)
    if (!read) return null
    exports.push(...read)
  }
  if (new Set(exports.map((e) => e.exportName)).size !== exports.length) return null // overloads, duplicates: the full reading decides
  return exports
}

function readStatement(code: string, statement: StaticExportRecord, at: (offset: number) => StubbedExport['loc']): StubbedExport[] | null {
  const text = code.slice(statement.start, statement.end)
  const { entries } = statement
  if (TYPE_ONLY.test(text)) return entries.every((entry) => entry.isType) ? [] : null
  if (RE_EXPORT_LIST.test(text)) {
    // `export { a as b } from './m'` passes unchecked (its module is checked itself); a local list needs the values' declarations
    const exports: StubbedExport[] = []
    for (const entry of entries) {
      if (entry.moduleRequest === null) return null
      if (entry.isType) continue
      if (entry.importName.kind !== 'Name' || entry.exportName.kind !== 'Name' || entry.exportName.name === null) return null
      exports.push({ exportName: entry.exportName.name, loc: at(entry.start), streams: false })
    }
    return exports
  }
  if (entries.length !== 1) return null
  const [entry] = entries as [StaticExportRecord['entries'][number]]
  // A function without a body (an overload signature) ends elsewhere; the duplicate check catches the usual pair.
  const fn = ASYNC_FUNCTION.exec(text)
  if (fn && text.endsWith('}')) {
    const exportName = fn[1] ? 'default' : fn[3]
    if (exportName === undefined || (fn[1] ? entry.exportName.kind !== 'Default' : entry.exportName.name !== exportName)) return null
    return [{ exportName, loc: at(entry.start), streams: fn[2] !== undefined }]
  }
  // Only an arrow: `async function () {}` and `async (x)` (a call) may go on as operands (`+ 1`), which the full reading refuses.
  const arrow = ASYNC_ARROW.exec(text)
  if (arrow && entry.exportName.name === arrow[1] && (arrow[2] === undefined || isArrowAfter(text, arrow[0].length))) {
    const nameAt = statement.start + arrow[0].indexOf(arrow[1]!, 6)
    return [{ exportName: arrow[1]!, loc: at(nameAt), streams: false }]
  }
  return null
}

/**
 * Whether the parenthesized list that opens before `from` is followed by `=>`: simple parameter lists and
 * return types only (no string, template, regular expression, comment or braces inside, which would need a tokenizer).
 */
function isArrowAfter(text: string, from: number): boolean {
  let depth = 1
  let i = from
  for (; i < text.length && depth > 0; i++) {
    const ch = text[i]
    if (ch === '(') depth++
    else if (ch === ')') depth--
    else if (ch === '"' || ch === "'" || ch === '`' || ch === '/' || ch === '{' || ch === '}') return false
  }
  if (depth > 0) return false
  i = skipTrivia(text, i)
  // A return type of names, generics, arrays and unions (`: Promise<Post[] | null>`) before the arrow
  if (text[i] === ':') while (++i < text.length && RETURN_TYPE_CHARACTER.test(text[i]!));
  return text.startsWith('=>', i)
}

const RETURN_TYPE_CHARACTER = /[\p{ID_Continue}$\s<>[\].,|&?]/u

/** TypeScript's `export = x` is no static export: found in the text (anywhere, to be sure), it sends the module to the full reading. */
function hasExportAssignment(code: string, statements: readonly StaticExportRecord[]): boolean {
  const word = /\bexport\b/g
  for (let match = word.exec(code); match; match = word.exec(code)) {
    if (statements.some((s) => s.start <= match!.index && match!.index < s.end)) continue
    if (code[skipTrivia(code, match.index + 6)] === '=') return true
  }
  return false
}

/** Line and column of increasing offsets, line ends counted as Babel counts them. */
function positions(code: string): (offset: number) => StubbedExport['loc'] {
  let i = 0
  let line = 1
  let lineStart = 0
  return (offset) => {
    if (offset < i) [i, line, lineStart] = [0, 1, 0]
    for (; i < offset; i++) {
      const ch = code.charCodeAt(i)
      if (ch === 10 || ch === 13 || ch === 0x2028 || ch === 0x2029) {
        if (ch === 13 && code.charCodeAt(i + 1) === 10) i++
        line++
        lineStart = i + 1
      }
    }
    return { line, column: offset - lineStart }
  }
}
