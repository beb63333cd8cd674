import { parse } from '@babel/parser'
import babelTraverse, { type Binding as BabelBinding, type NodePath, type Scope } from '@babel/traverse'
import * as t from '@babel/types'
import { findServerDirective } from '../directives/findServerDirective.js'
import { collectModuleExports } from '../module/collectModuleExports.js'
import { parseModule, parserPluginsFor } from '../parse/parseModule.js'
import { analyzeModule } from './analyzeModule.js'
import { isWithin, resolve } from './scopes.js'

// @babel/traverse is CommonJS: its default export arrives wrapped when imported from ESM.
type Traverse = typeof import('@babel/traverse').default
const traverse: Traverse = (babelTraverse as unknown as { default?: Traverse }).default ?? (babelTraverse as unknown as Traverse)

/**
 * For each inline server function (by its start offset): the variables of enclosing functions and
 * blocks its own code names, as `name@offset of the declaring identifier`, with a trailing `=` on
 * those it assigns. Module-level names and globals are never captured; nested inline functions keep
 * their own. This is what the capture analysis starts from, before member narrowing and aliases.
 */
export type CaptureTable = Map<number, string[]>

/** The hand-written analysis (analyzeModule + resolve), as the transform runs it. */
export function ourCaptures(code: string, id: string): CaptureTable {
  const ast = parseModule(code, id)
  const directive = findServerDirective(ast.program.directives, code, id, 'module')
  const moduleExports = directive ? new Set(collectModuleExports(ast, code, id).flatMap(({ value }) => ('local' in value ? [value.local] : []))) : undefined
  const table: CaptureTable = new Map()
  for (const fn of analyzeModule(ast, code, id, { moduleExports })) {
    const found = new Set<string>()
    for (const reference of fn.references) {
      const binding = resolve(reference.scope, reference.name)
      if (!binding || isWithin(binding.scope, fn)) continue
      found.add(`${binding.name}@${binding.declaredAt}`)
      if (reference.write) found.add(`${binding.name}@${binding.declaredAt}=`)
    }
    table.set(fn.node.start!, [...found].sort())
  }
  return table
}

/** The same table from Babel's scope tracker, for the functions at `starts`. */
export function babelCaptures(code: string, id: string, starts: Iterable<number>): CaptureTable {
  const ast = parse(code, { sourceType: 'module', plugins: parserPluginsFor(id), errorRecovery: false })
  const wanted = new Set(starts)
  const table: CaptureTable = new Map()
  traverse(ast, {
    Function(path) {
      if (wanted.has(path.node.start!)) table.set(path.node.start!, [...capturedIn(path)].sort())
    },
  })
  return table
}

const isUseServer = (node: t.Node) => t.isFunction(node) && t.isBlockStatement(node.body) && node.body.directives.some((d) => d.value.value === 'use server')

function capturedIn(fn: NodePath<t.Function>): Set<string> {
  const found = new Set<string>()
  const visit = (path: NodePath) => {
    if (!path.isIdentifier() && !path.isJSXIdentifier()) return
    const write = isWrite(path)
    if (!write && !path.isReferencedIdentifier()) return
    const name = path.node.name
    const declared = declarationOf(path, name)
    if (!declared || declared.scope.path.isProgram() || isInside(declared.scope, fn)) return
    const { at } = declared
    found.add(`${name}@${at}`)
    if (write) found.add(`${name}@${at}=`)
  }
  const visitor = {
    enter(path: NodePath) {
      if (isTypeOnly(path.node)) return path.skip()
      // a method's computed key and decorators run in the code around it
      if (path.parentPath === fn && (path.key === 'key' || path.listKey === 'decorators')) return path.skip()
      if (path.isFunction() && isUseServer(path.node)) {
        // a nested inline function keeps its own names; what its key and decorators read is this one's
        if ((path.isObjectMethod() || path.isClassMethod()) && path.node.computed) {
          const key = path.get('key') as NodePath
          visit(key)
          key.traverse(visitor)
        }
        if ('decorators' in path.node && path.node.decorators) for (const decorator of path.get('decorators') as NodePath[]) decorator.traverse(visitor)
        return path.skip()
      }
      visit(path)
    },
  }
  fn.traverse(visitor)
  return found
}

/**
 * The scope and declaring identifier a name refers to, as Babel's scope tracker resolves it, corrected
 * where its model of scopes is coarser than the language's (each correction says where):
 * - a switch's discriminant is evaluated outside the scope of its cases (Babel puts it inside);
 * - in a function, a parameter or a function expression's own name and a `var` or function declared
 *   in its body are one variable to Babel; the language makes the body's its own variable when the
 *   parameters hold expressions (default values, computed keys), and always for a function's own name.
 */
function declarationOf(path: NodePath, name: string): { scope: Scope; at: number } | null {
  let scope: Scope | undefined = path.scope
  for (;;) {
    const binding: BabelBinding | undefined = scope?.getBinding(name)
    if (!binding) return enumDeclaration(path, name)
    const block = binding.scope.path
    if (block.isSwitchStatement() && path.isDescendant(block.get('discriminant'))) {
      scope = binding.scope.parent
      continue
    }
    if ((binding.kind === 'param' || (binding.kind === 'local' && block.isFunctionExpression())) && block.isFunction()) {
      return { scope: binding.scope, at: functionLevelDeclaration(path, name, binding, block) }
    }
    // Babel names a variable declared several times (`var [a, a]`, `var a; function a() {}`) by its last
    // identifier in the first declaration; the analysis by its first
    if (binding.kind === 'var' || binding.kind === 'hoisted') return { scope: binding.scope, at: Math.min(...declarations(binding, name)) }
    return { scope: binding.scope, at: binding.identifier.start! }
  }
}

/** Which of a function's parameter, own name and body declarations of `name` a reference inside it reads. */
function functionLevelDeclaration(path: NodePath, name: string, binding: BabelBinding, fn: NodePath<t.Function>): number {
  const firstIdentifier = (node: t.Node) => {
    const found = (t.getBindingIdentifiers(node, true) as Record<string, t.Identifier[]>)[name] ?? []
    return found.length > 0 ? Math.min(...found.map((id) => id.start!)) : null
  }
  const param = fn.node.params.map(firstIdentifier).find((at) => at !== null) ?? null
  const body = declarations(binding, name, fn).sort((a, b) => a - b)
  const own = fn.isFunctionExpression() && fn.node.id?.name === name ? fn.node.id.start! : null
  const inParams = fn.get('params').some((p) => path.isDescendant(p))
  const separateBody = param === null || fn.node.params.some(containsExpression)
  if (!inParams && body.length > 0 && separateBody) return body[0]!
  return param ?? own ?? binding.identifier.start!
}

/** Where variables, functions and classes declare `name` in the scope of `binding` (or in the body of `fn`). */
function declarations(binding: BabelBinding, name: string, fn: NodePath | null = binding.scope.path): number[] {
  const at: number[] = []
  for (const p of [binding.path, ...binding.constantViolations]) {
    const declaring = p.isVariableDeclarator() || ((p.isFunctionDeclaration() || p.isClassDeclaration()) && (p.parentPath.parentPath === fn || p.parentPath === fn))
    if (!declaring || (fn?.isFunction() && p.getFunctionParent() !== fn)) continue
    const found = (t.getBindingIdentifiers(p.isVariableDeclarator() ? p.node.id : p.node, true) as Record<string, t.Identifier[]>)[name] ?? []
    at.push(...found.map((id) => id.start!))
  }
  return at.length > 0 ? at : [binding.identifier.start!]
}

function containsExpression(node: t.Node): boolean {
  if (t.isAssignmentPattern(node)) return true
  if (t.isObjectPattern(node)) return node.properties.some((p) => (t.isRestElement(p) ? containsExpression(p.argument) : p.computed || containsExpression(p.value)))
  if (t.isArrayPattern(node)) return node.elements.some((e) => e !== null && containsExpression(e))
  if (t.isRestElement(node)) return containsExpression(node.argument)
  return false
}

/** A scope that is the function's own or lies within it. */
function isInside(scope: Scope, fn: NodePath): boolean {
  return scope.path === fn || scope.path.isDescendant(fn)
}

/**
 * Babel's scope tracker declares no binding for a TypeScript `enum`, which is a variable all the same
 * (`const Color = …` once compiled): the oracle looks for one in the statements of each enclosing scope.
 */
function enumDeclaration(path: NodePath, name: string): { scope: Scope; at: number } | null {
  for (let scope: Scope | undefined = path.scope; scope; scope = scope.parent) {
    const block = scope.block
    const body = t.isFunction(block) ? (t.isBlockStatement(block.body) ? block.body.body : []) : 'body' in block && Array.isArray(block.body) ? block.body : []
    for (const statement of body as t.Node[]) {
      const declaration = t.isExportNamedDeclaration(statement) ? statement.declaration : statement
      if (t.isTSEnumDeclaration(declaration) && declaration.id.name === name) return { scope, at: declaration.id.start! }
    }
  }
  return null
}

/** An identifier assigned to: `x = …`, `x++`, `[x] = …`, `for (x of …)`. */
function isWrite(path: NodePath): boolean {
  let child: NodePath = path
  let parent = path.parentPath
  while (parent) {
    const node = parent.node
    if (t.isUpdateExpression(node)) return true
    if (t.isAssignmentExpression(node) || t.isForXStatement(node)) return (node as { left: t.Node }).left === child.node
    const inPattern =
      (t.isObjectProperty(node) && t.isObjectPattern(parent.parent) && node.value === child.node) ||
      t.isArrayPattern(node) || t.isObjectPattern(node) || t.isRestElement(node) ||
      (t.isAssignmentPattern(node) && node.left === child.node) ||
      t.isTSAsExpression(node) || t.isTSSatisfiesExpression(node) || t.isTSNonNullExpression(node) || t.isParenthesizedExpression(node)
    if (!inPattern) return false
    child = parent
    parent = parent.parentPath
  }
  return false
}

/** Type annotations and declarations: erased at build, never a reference. */
function isTypeOnly(node: t.Node): boolean {
  return (
    t.isTSType(node) || t.isTSTypeAnnotation(node) || t.isTSTypeParameterDeclaration(node) || t.isTSTypeParameterInstantiation(node) ||
    t.isTSInterfaceDeclaration(node) || t.isTSTypeAliasDeclaration(node) || t.isTSDeclareFunction(node) || t.isTSDeclareMethod(node) ||
    ('declare' in node && node.declare === true)
  )
}
