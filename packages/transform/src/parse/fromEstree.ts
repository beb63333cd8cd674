import type { File } from '@babel/types'
import { mayHaveInlineDirective } from '../directives/mayUseServer.js'
import type { EstreeParse, TransformTarget } from '../types.js'

/* eslint-disable @typescript-eslint/no-explicit-any -- ESTree nodes from a native parser, read field by field */
type EstreeNode = any
type Loc = { start: { line: number; column: number }; end: { line: number; column: number } }

/** Thrown while converting: a construct left to Babel (which also words any error it makes). */
const TO_BABEL = Symbol('left to Babel')

/**
 * A 'use server' module parsed by a native ESTree parser (Vite 8's `parseAst`, oxc) and given the
 * shape of Babel's AST, for what the export checks and the stubs and registrations read: the
 * prologue and the top-level statements, with the values exported. Bodies are not converted.
 *
 * Null, and Babel parses, unless the module says 'use server' in its prologue, holds nothing an
 * inline function could be in (on the server), and has only statements converted here: a syntax
 * error, TypeScript enums, namespaces, `export =`, `import x =`, decorators and `export * as ns`
 * all go to Babel, whose output and errors are then the answer. Tests compare both ways on every
 * fixture.
 */
export function moduleFromEstree(code: string, id: string, target: TransformTarget, parse: EstreeParse): File | null {
  let program: EstreeNode
  try {
    program = parse(code, { lang: langOf(id), preserveParens: false })
  } catch {
    return null
  }
  const body: EstreeNode[] = program.body
  let prologueEnd = 0
  while (prologueEnd < body.length && typeof body[prologueEnd].directive === 'string') prologueEnd++
  const prologue = body.slice(0, prologueEnd)
  const directive = prologue.find((statement) => statement.directive === 'use server')
  if (!directive || (target === 'server' && mayHaveInlineDirective(code, directive.end))) return null
  const lines = lineStarts(code)
  const at = (node: EstreeNode) => ({ start: node.start, end: node.end, loc: locOf(lines, node.start, node.end) })
  try {
    const converter = new Converter(at)
    return {
      type: 'File',
      ...at(program),
      program: {
        type: 'Program',
        ...at(program),
        sourceType: 'module',
        interpreter: program.hashbang ? { type: 'InterpreterDirective', value: program.hashbang.value, ...at(program.hashbang) } : null,
        directives: prologue.map((statement) => ({
          type: 'Directive',
          ...at(statement),
          value: { type: 'DirectiveLiteral', value: statement.directive, ...at(statement.expression) },
        })),
        body: body.slice(prologueEnd).map((statement) => converter.statement(statement)),
      },
      comments: [],
    } as unknown as File
  } catch (error) {
    if (error === TO_BABEL) return null
    throw error
  }
}

/** The native parser's language for a module id, as Babel's plugins are chosen (a `?query` is ignored). */
export function langOf(id: string): 'ts' | 'tsx' | 'jsx' {
  const path = id.replace(/[?#].*$/, '')
  if (/\.tsx$/.test(path)) return 'tsx'
  if (/\.[cm]?ts$/.test(path)) return 'ts'
  return 'jsx' // as Babel parses every other file: JavaScript with JSX
}

class Converter {
  constructor(private readonly at: (node: EstreeNode) => { start: number; end: number; loc: Loc }) {}

  statement(node: EstreeNode): unknown {
    if (node.decorators?.length) throw TO_BABEL
    switch (node.type) {
      case 'ExportNamedDeclaration':
        return {
          type: node.type,
          ...this.at(node),
          exportKind: node.exportKind ?? 'value',
          declaration: node.declaration ? this.declaration(node.declaration) : null,
          specifiers: node.specifiers.map((specifier: EstreeNode) => this.specifier(specifier)),
          source: node.source ? this.expression(node.source) : null,
        }
      case 'ExportDefaultDeclaration':
        if (node.declaration.decorators?.length) throw TO_BABEL
        return { type: node.type, ...this.at(node), declaration: this.declarationOrExpression(node.declaration) }
      case 'ExportAllDeclaration':
        if (node.exported) throw TO_BABEL // `export * as ns`: Babel's AST has a specifier for it
        return { type: node.type, ...this.at(node), exportKind: node.exportKind ?? 'value', source: this.expression(node.source) }
      case 'TSEnumDeclaration':
      case 'TSModuleDeclaration':
      case 'TSExportAssignment':
      case 'TSImportEqualsDeclaration':
      case 'TSNamespaceExportDeclaration':
        throw TO_BABEL
      default:
        return this.declarationOrExpression(node)
    }
  }

  /** What a top-level statement declares (functions, classes, variables, types); any other statement by its kind and place only. */
  declarationOrExpression(node: EstreeNode): unknown {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
      case 'VariableDeclaration':
      case 'TSTypeAliasDeclaration':
      case 'TSInterfaceDeclaration':
      case 'TSDeclareFunction':
        return this.declaration(node)
      default:
        return this.expression(node)
    }
  }

  declaration(node: EstreeNode): unknown {
    if (node.decorators?.length) throw TO_BABEL
    switch (node.type) {
      case 'FunctionDeclaration':
        return { type: node.type, ...this.at(node), id: node.id ? this.identifier(node.id) : null, async: node.async, generator: node.generator }
      case 'ClassDeclaration':
      case 'TSTypeAliasDeclaration':
      case 'TSInterfaceDeclaration':
        return { type: node.type, ...this.at(node), id: node.id ? this.identifier(node.id) : null }
      case 'VariableDeclaration':
        return {
          type: node.type,
          ...this.at(node),
          kind: node.kind,
          declare: node.declare ?? false,
          declarations: node.declarations.map((declarator: EstreeNode) => ({
            type: 'VariableDeclarator',
            ...this.at(declarator),
            id: this.pattern(declarator.id),
            init: declarator.init ? this.expression(declarator.init) : null,
          })),
        }
      case 'TSDeclareFunction':
        return { type: node.type, ...this.at(node) }
      default:
        throw TO_BABEL
    }
  }

  specifier(node: EstreeNode): unknown {
    if (node.type !== 'ExportSpecifier') throw TO_BABEL
    return { type: node.type, ...this.at(node), exportKind: node.exportKind ?? 'value', local: this.expression(node.local), exported: this.expression(node.exported) }
  }

  pattern(node: EstreeNode): unknown {
    switch (node.type) {
      case 'Identifier':
        return this.identifier(node)
      case 'ObjectPattern':
        return {
          type: node.type,
          ...this.at(node),
          properties: node.properties.map((property: EstreeNode) =>
            property.type === 'RestElement' ? this.pattern(property) : { type: 'ObjectProperty', ...this.at(property), value: this.pattern(property.value) },
          ),
        }
      case 'ArrayPattern':
        return { type: node.type, ...this.at(node), elements: node.elements.map((element: EstreeNode) => (element ? this.pattern(element) : null)) }
      case 'AssignmentPattern':
        return { type: node.type, ...this.at(node), left: this.pattern(node.left) }
      case 'RestElement':
        return { type: node.type, ...this.at(node), argument: this.pattern(node.argument) }
      default:
        throw TO_BABEL
    }
  }

  /** An expression by its kind and place: literals named as Babel names them; functions with `async` and `generator`; type wrappers with what they wrap. */
  expression(node: EstreeNode): unknown {
    switch (node.type) {
      case 'Literal':
        return { type: literalType(node), ...this.at(node), value: node.value }
      case 'Identifier':
        return this.identifier(node)
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return { type: node.type, ...this.at(node), id: node.id ? this.identifier(node.id) : null, async: node.async, generator: node.generator }
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
        return { type: node.type, ...this.at(node), expression: this.expression(node.expression) }
      case 'ClassExpression':
        if (node.decorators?.length) throw TO_BABEL
        return { type: node.type, ...this.at(node) }
      case 'ParenthesizedExpression':
        throw TO_BABEL // asked not to keep them; Babel, told the same, gives the inner expression its place
      default:
        return { type: node.type, ...this.at(node) }
    }
  }

  identifier(node: EstreeNode): unknown {
    return { type: 'Identifier', ...this.at(node), name: node.name }
  }
}

function literalType(node: EstreeNode): string {
  if (node.regex) return 'RegExpLiteral'
  if (node.bigint !== undefined && node.bigint !== null) return 'BigIntLiteral'
  switch (typeof node.value) {
    case 'string':
      return 'StringLiteral'
    case 'number':
      return 'NumericLiteral'
    case 'boolean':
      return 'BooleanLiteral'
    default:
      return 'NullLiteral'
  }
}

/** Offsets at which each line starts, line ends counted as Babel counts them (`\r\n`, `\n`, `\r`, U+2028, U+2029). */
function lineStarts(code: string): number[] {
  const starts = [0]
  const ends = /\r\n?|\n|\u2028|\u2029/g
  for (let match = ends.exec(code); match; match = ends.exec(code)) starts.push(match.index + match[0].length)
  return starts
}

function locOf(lines: number[], start: number, end: number): Loc {
  return { start: position(lines, start), end: position(lines, end) }
}

function position(lines: number[], offset: number): { line: number; column: number } {
  let low = 0
  let high = lines.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (lines[middle]! <= offset) low = middle
    else high = middle - 1
  }
  return { line: low + 1, column: offset - lines[low]! }
}
