import type {
  Declaration,
  ExportNamedDeclaration,
  Expression,
  File,
  FunctionDeclaration,
  LVal,
  Node,
  Statement,
} from '@babel/types'
import { skipTypeWrappers } from '../ast/skipTypeWrappers.js'
import { transformErrorAt, type TransformErrorCode } from '../errors/TransformError.js'

/** How the server target makes an export callable; the client target only needs the name. */
export type ExportedValue =
  /** `export async function f`, `export const f = …`: registered right after the statement. */
  | { kind: 'declaration'; local: string }
  /** `export { a as b }`, `export default a`: registered at the end of the module (after any TDZ). */
  | { kind: 'local'; local: string }
  /** `export default <expression>`: wrapped in place. */
  | { kind: 'expression'; expression: Expression }
  /** `export default async function () {}`: given a name, then registered. */
  | { kind: 'anonymousFunction'; declaration: FunctionDeclaration }
  /** `export { x as y } from './m'`: imported under a local name, re-exported, registered. */
  | { kind: 'reexport'; imported: Node }

export interface ModuleExport {
  exportName: string
  value: ExportedValue
  statement: Statement
  /** Start of the function or binding, for metadata and the manifest. */
  loc: { line: number; column: number }
  /** Certainly an async generator function: its client stub must read a streamed answer. */
  streams: boolean
}

interface Context {
  code: string
  id: string
}

/**
 * Every runtime export of a 'use server' module, in source order, after checking that each can be a
 * server function. Type-only exports are skipped. Values that may still be functions (identifiers,
 * calls such as `cache(fn)`) pass here and are checked when the module loads.
 */
export function collectModuleExports(ast: File, code: string, id: string): ModuleExport[] {
  const ctx: Context = { code, id }
  const declarations = collectTopLevelDeclarations(ast.program.body)
  const exports: ModuleExport[] = []
  // `source`: the node whose value the export is, when not `at` itself (a local name's declaration)
  const add = (exportName: string, value: ExportedValue, statement: Statement, at: Node, source: TopLevelBinding | undefined = at) =>
    exports.push({ exportName, value, statement, loc: at.loc!.start, streams: isAsyncGenerator(source) })

  for (const statement of ast.program.body) {
    switch (statement.type) {
      case 'ExportNamedDeclaration': {
        if (statement.exportKind === 'type') break
        if (statement.declaration) {
          collectDeclaration(statement.declaration, statement, ctx, add)
          break
        }
        for (const specifier of statement.specifiers) {
          if (specifier.type === 'ExportNamespaceSpecifier') {
            throw fail(ctx, 'EXPORT_STAR', specifier, `\`export * as ${specifier.exported.name}\` exports a namespace object, not a function. Re-export the functions by name: \`export { a, b } from '${statement.source?.value}'\`.`)
          }
          if (specifier.type !== 'ExportSpecifier' || specifier.exportKind === 'type') continue
          const { exported, local } = specifier
          // `export { f as 'save-post' }` (ES2022): an export like any other, named by a string
          const exportName = exported.type === 'StringLiteral' ? exported.value : exported.name
          if (statement.source) {
            add(exportName, { kind: 'reexport', imported: local }, statement, specifier)
            continue
          }
          const localName = (local as { name: string }).name
          const declared = declarations.get(localName)
          if (declared === 'type') continue
          if (declared) checkValue(declared, exportName, ctx)
          add(exportName, { kind: 'local', local: localName }, statement, specifier, declared)
        }
        break
      }
      case 'ExportDefaultDeclaration': {
        const value = statement.declaration
        // `export default interface` parses here although the AST types do not list it
        if (value.type === 'TSDeclareFunction' || (value as Node).type === 'TSInterfaceDeclaration') break
        if (value.type === 'FunctionDeclaration') {
          checkValue(value, 'default', ctx)
          add('default', value.id ? { kind: 'declaration', local: value.id.name } : { kind: 'anonymousFunction', declaration: value }, statement, value)
        } else if (value.type === 'ClassDeclaration') {
          checkValue(value, 'default', ctx)
        } else if (value.type === 'Identifier') {
          const declared = declarations.get(value.name)
          if (declared === 'type') break
          if (declared) checkValue(declared, 'default', ctx)
          add('default', { kind: 'local', local: value.name }, statement, value, declared)
        } else {
          checkValue(value as Expression, 'default', ctx)
          add('default', { kind: 'expression', expression: value as Expression }, statement, value)
        }
        break
      }
      case 'ExportAllDeclaration':
        if (statement.exportKind === 'type') break
        throw fail(ctx, 'EXPORT_STAR', statement, `\`export * from '${statement.source.value}'\` cannot be checked or registered: every export of a 'use server' module becomes callable from the browser, so each must be listed. Write \`export { a, b } from '${statement.source.value}'\` instead.`)
      case 'TSExportAssignment':
        throw fail(ctx, 'EXPORT_UNSUPPORTED', statement, '`export =` is CommonJS; a \'use server\' module must use ES exports of async functions.')
      case 'TSImportEqualsDeclaration':
        if (statement.isExport && statement.importKind !== 'type') {
          throw fail(ctx, 'EXPORT_UNSUPPORTED', statement, '`export import … =` is not supported in a \'use server\' module; import the function and export it by name.')
        }
        break
    }
  }
  return exports
}

type Add = (exportName: string, value: ExportedValue, statement: Statement, at: Node, source?: TopLevelBinding) => void

/** Whether a value is, as written, an async generator function (`async function*`). */
function isAsyncGenerator(source: TopLevelBinding | undefined): boolean {
  if (!source || source === 'type') return false
  const node = skipTypeWrappers(source.type === 'VariableDeclarator' ? (source.init ?? source) : source)
  return (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && node.async && node.generator
}

function collectDeclaration(declaration: Declaration, statement: ExportNamedDeclaration, ctx: Context, add: Add) {
  switch (declaration.type) {
    case 'FunctionDeclaration':
      checkValue(declaration, declaration.id!.name, ctx)
      add(declaration.id!.name, { kind: 'declaration', local: declaration.id!.name }, statement, declaration)
      return
    case 'VariableDeclaration':
      if (declaration.declare) return
      for (const declarator of declaration.declarations) {
        const names = bindingNames(declarator.id)
        if (!declarator.init) {
          throw fail(ctx, 'EXPORT_WITHOUT_VALUE', declarator, `\`export ${declaration.kind} ${names.join(', ')}\` has no value. A 'use server' module must export async functions: \`export ${declaration.kind === 'var' ? 'var' : 'const'} ${names[0]} = async () => { … }\`.`)
        }
        if (declarator.id.type === 'Identifier') checkValue(declarator.init, declarator.id.name, ctx)
        for (const name of names) add(name, { kind: 'declaration', local: name }, statement, declarator)
      }
      return
    case 'ClassDeclaration':
      checkValue(declaration, declaration.id!.name, ctx)
      return
    case 'TSEnumDeclaration':
      if (declaration.declare) return
      throw notAFunction(ctx, declaration, declaration.id.name, 'an enum')
    case 'TSModuleDeclaration':
      if (declaration.declare || isTypeOnlyNamespace(declaration)) return
      throw notAFunction(ctx, declaration, declaration.id.type === 'Identifier' ? declaration.id.name : declaration.id.value, 'a namespace')
    // Types, interfaces, `declare function` and overload signatures emit nothing.
    default:
      return
  }
}

/** What a top-level name is bound to: its value node, `'type'` for type-only names, or an import. */
type TopLevelBinding = Node | 'type'

function collectTopLevelDeclarations(body: Statement[]): Map<string, TopLevelBinding> {
  const bindings = new Map<string, TopLevelBinding>()
  const declare = (statement: Statement | Declaration) => {
    switch (statement.type) {
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        if (statement.id) bindings.set(statement.id.name, statement)
        break
      case 'VariableDeclaration':
        for (const declarator of statement.declarations) {
          if (declarator.id.type === 'Identifier' && declarator.init) bindings.set(declarator.id.name, declarator.init)
        }
        break
      case 'TSTypeAliasDeclaration':
      case 'TSInterfaceDeclaration':
        if (!bindings.has(statement.id.name)) bindings.set(statement.id.name, 'type')
        break
      case 'TSEnumDeclaration':
        bindings.set(statement.id.name, statement)
        break
    }
  }
  for (const statement of body) {
    if (statement.type === 'ExportNamedDeclaration' && statement.declaration) declare(statement.declaration)
    else declare(statement)
  }
  return bindings
}

function bindingNames(pattern: LVal | Node): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name]
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) => bindingNames(p.type === 'RestElement' ? p.argument : p.value))
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => (e ? bindingNames(e) : []))
    case 'AssignmentPattern':
      return bindingNames(pattern.left)
    case 'RestElement':
      return bindingNames(pattern.argument)
    default:
      return []
  }
}

const NEVER_FUNCTIONS: Record<string, string> = {
  StringLiteral: 'a string',
  NumericLiteral: 'a number',
  BigIntLiteral: 'a bigint',
  BooleanLiteral: 'a boolean',
  NullLiteral: 'null',
  RegExpLiteral: 'a regular expression',
  TemplateLiteral: 'a string',
  ObjectExpression: 'an object',
  ArrayExpression: 'an array',
  ClassDeclaration: 'a class',
  ClassExpression: 'a class',
  TSEnumDeclaration: 'an enum',
  UnaryExpression: 'a primitive value',
  BinaryExpression: 'a primitive value',
  UpdateExpression: 'a number',
  JSXElement: 'a JSX element',
  JSXFragment: 'a JSX element',
}

/** Throws for values that can never be an async function; lets through what only runtime can tell. */
function checkValue(node: Node, exportName: string, ctx: Context): void {
  const value = skipTypeWrappers(node)
  switch (value.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      if (!value.async) {
        throw fail(ctx, 'EXPORT_NOT_ASYNC', value, `Server function "${exportName}" must be async: calls from the browser always return a promise. Write \`async\` before it${value.generator ? ' (an async generator is fine)' : ''}, or move it to a module without 'use server' if the browser should not call it.`)
      }
      return
    case 'Identifier':
      if (value.name === 'undefined') throw notAFunction(ctx, value, exportName, 'undefined')
      return
  }
  const what = NEVER_FUNCTIONS[value.type]
  if (what) throw notAFunction(ctx, value, exportName, what)
}

function notAFunction(ctx: Context, node: Node, exportName: string, what: string) {
  return fail(ctx, 'EXPORT_NOT_FUNCTION', node, `Export "${exportName}" is ${what}, but a 'use server' module may only export async functions: each export becomes callable from the browser. Move it to another module (a shared file without the directive) and import it from there.`)
}

function isTypeOnlyNamespace(node: Node): boolean {
  if (node.type !== 'TSModuleDeclaration') return false
  if (node.body.type === 'TSModuleDeclaration') return isTypeOnlyNamespace(node.body)
  return node.body.body.every((statement) => {
    const inner = statement.type === 'ExportNamedDeclaration' && statement.declaration ? statement.declaration : statement
    return (
      inner.type === 'TSInterfaceDeclaration' ||
      inner.type === 'TSTypeAliasDeclaration' ||
      (inner.type === 'ExportNamedDeclaration' && inner.exportKind === 'type') ||
      ('declare' in inner && inner.declare === true) ||
      isTypeOnlyNamespace(inner)
    )
  })
}

function fail(ctx: Context, code: TransformErrorCode, node: Node, message: string) {
  return transformErrorAt(code, message, ctx.code, ctx.id, node.loc!.start)
}
