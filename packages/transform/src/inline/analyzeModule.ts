import type {
  Class,
  Expression,
  ExportDefaultDeclaration,
  ExportNamedDeclaration,
  File,
  FunctionDeclaration,
  Node,
  Statement,
  StringLiteral,
  VariableDeclaration,
} from '@babel/types'
import { skipTypeWrappers } from '../ast/skipTypeWrappers.js'
import { afterPrologue } from '../codegen/afterPrologue.js'
import { findServerDirective } from '../directives/findServerDirective.js'
import { expectToken } from '../parse/sourceTokens.js'
import { staticPropertyName } from './propertyKey.js'
import { StatementStrings } from './statementStrings.js'
import { createScope, declare, resolve, type BindingKind, type InlineFunction, type InlineFunctionNode, type Scope } from './scopes.js'
import { ExpressionWalker } from './walkExpressions.js'

/** Where a 'use server' string that is not a directive stands (see `misplacedDirective`). */
export interface MisplacedDirective {
  literal: StringLiteral
  parenthesized: boolean
  /** In a block of statements (not a module or function body): no prologue can be there. */
  inBlock: boolean
  /** The innermost named function or class around it; null at module level. */
  within: string | null
}

export interface AnalyzeOptions {
  /** Told of every statement that is the string 'use server' but not a directive. */
  onMisplacedDirective?: (found: MisplacedDirective) => void
  /**
   * For a 'use server' module: the local names its exports hold. Those functions (and an `export default`
   * one) are server functions already, so a directive of their own is redundant and ignored.
   */
  moduleExports?: ReadonlySet<string>
  /** Walks every statement, even those that cannot hold a 'use server': what tests compare the faster walk with. */
  walkEverything?: boolean
}

/**
 * One pass over a module: builds its scopes (function, block, catch, for, class, switch, namespace) with their
 * bindings, finds every function whose body starts with 'use server', and records, for each, the names
 * its code reads and writes, and any `this` / `arguments` / `super` it could not keep once hoisted.
 * Names are resolved afterwards, so hoisting (`var`, function declarations, use before `let`) needs no
 * second pass. Module-level bindings are not recorded: they are never captured.
 */
export function analyzeModule(ast: File, code: string, id: string, options: AnalyzeOptions = {}): InlineFunction[] {
  const walker = new ScopeWalker(code, id, options.moduleExports ?? null, options.onMisplacedDirective ?? null)
  const moduleScope = createScope('module', null, 0, afterPrologue(ast, code).at)
  // Module-level statements that cannot hold a 'use server' are passed over (see statementStrings);
  // the text between statements (comments, decorators before `export`) counts as the next one's.
  const strings = options.walkEverything ? null : new StatementStrings(code)
  let previousEnd = 0
  for (const statement of ast.program.body) {
    if (!strings || strings.holdsOne(previousEnd, statement.end!)) walker.statement(statement, moduleScope)
    previousEnd = statement.end!
  }
  for (const { name, scope } of walker.writes) {
    const binding = resolve(scope, name)
    if (binding) binding.reassigned = true
  }
  return walker.functions
}

class ScopeWalker extends ExpressionWalker {
  constructor(
    private readonly code: string,
    private readonly id: string,
    private readonly moduleExports: ReadonlySet<string> | null,
    private readonly onMisplacedDirective: ((found: MisplacedDirective) => void) | null,
  ) {
    super()
  }

  statement(node: Statement, scope: Scope): void {
    switch (node.type) {
      case 'ExpressionStatement': {
        const value = node.expression
        if (value.type === 'StringLiteral' && value.value === 'use server' && this.onMisplacedDirective) {
          const inBlock = scope.kind === 'block'
          this.onMisplacedDirective({ literal: value, parenthesized: !!value.extra?.parenthesized, inBlock, within: scope.functionScope.kind === 'module' ? null : (this.names.at(-1) ?? null) })
        }
        return this.expression(value, scope)
      }
      case 'VariableDeclaration':
        return this.variableDeclaration(node, scope)
      case 'FunctionDeclaration':
        return this.functionDeclaration(node, scope, null)
      case 'ClassDeclaration':
        if (node.declare) return
        if (node.id) declare(scope, node.id, 'class', node.end!)
        return this.classBody(node, scope, node.id?.name ?? null)
      case 'BlockStatement': {
        const block = createScope('block', scope, node.start!, node.start! + 1)
        for (const statement of node.body) this.statement(statement, block)
        return
      }
      case 'IfStatement':
        this.expression(node.test, scope)
        this.statement(node.consequent, scope)
        if (node.alternate) this.statement(node.alternate, scope)
        return
      case 'ForStatement': {
        const loop = createScope('block', scope, node.start!)
        if (node.init?.type === 'VariableDeclaration') this.variableDeclaration(node.init, loop)
        else if (node.init) this.expression(node.init, loop)
        if (node.test) this.expression(node.test, loop)
        if (node.update) this.expression(node.update, loop)
        return this.statement(node.body, loop)
      }
      case 'ForInStatement':
      case 'ForOfStatement': {
        const loop = createScope('block', scope, node.start!)
        if (node.left.type === 'VariableDeclaration') this.variableDeclaration(node.left, loop)
        else this.assignmentTarget(node.left, loop)
        this.expression(node.right, loop)
        return this.statement(node.body, loop)
      }
      case 'WhileStatement':
      case 'DoWhileStatement':
        this.expression(node.test, scope)
        return this.statement(node.body, scope)
      case 'ReturnStatement':
      case 'ThrowStatement':
        if (node.argument) this.expression(node.argument, scope)
        return
      case 'TryStatement':
        this.statement(node.block, scope)
        if (node.handler) {
          const handler = createScope('block', scope, node.handler.start!)
          if (node.handler.param) this.declarePattern(node.handler.param, handler, 'catch', node.handler.param.end!, handler)
          this.statement(node.handler.body, handler)
        }
        if (node.finalizer) this.statement(node.finalizer, scope)
        return
      case 'SwitchStatement': {
        this.expression(node.discriminant, scope)
        const cases = createScope('block', scope, node.start!)
        // The first test evaluated: the first clause's, or after a leading `default:` the next one's;
        // a lone `default:` runs its body first.
        const first = node.cases[0]?.test ? node.cases[0] : node.cases[1]
        if (first?.test) cases.firstCaseTest = { start: first.test.start!, end: first.test.end! }
        else if (node.cases.length === 1) cases.statementsStart = expectToken(this.code, node.cases[0]!.start! + 'default'.length, ':') + 1
        for (const branch of node.cases) {
          if (branch.test) this.expression(branch.test, cases)
          for (const statement of branch.consequent) this.statement(statement, cases)
        }
        return
      }
      case 'LabeledStatement':
        return this.statement(node.body, scope)
      case 'ExportNamedDeclaration':
        if (node.declaration?.type === 'FunctionDeclaration') this.functionDeclaration(node.declaration, scope, node)
        else if (node.declaration) this.statement(node.declaration, scope)
        return
      case 'ExportDefaultDeclaration':
        return this.exportDefault(node, scope)
      case 'TSExportAssignment':
        return this.expression(node.expression, scope)
      case 'TSEnumDeclaration':
        if (!node.declare) declare(scope, node.id, 'const', node.end!)
        return
      case 'TSModuleDeclaration': {
        // `namespace A.B { … }`: the statements of the innermost body, in a scope of their own
        let body = node.body
        while (body.type === 'TSModuleDeclaration') body = body.body
        if (node.declare || body.type !== 'TSModuleBlock') return
        const namespace = createScope('block', scope, body.start!, body.start! + 1)
        for (const statement of body.body) this.statement(statement, namespace)
        return
      }
      case 'EmptyStatement':
      case 'DebuggerStatement':
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'TSImportEqualsDeclaration':
      case 'TSDeclareFunction':
      case 'TSInterfaceDeclaration':
      case 'TSTypeAliasDeclaration':
        return
      default:
        return this.children(node, scope)
    }
  }

  private exportDefault(node: ExportDefaultDeclaration, scope: Scope): void {
    const value = node.declaration
    const redundant = this.moduleExports !== null
    if (value.type === 'FunctionDeclaration') return this.functionDeclaration(value, scope, node, redundant)
    if (value.type === 'ClassDeclaration') {
      if (value.id) declare(scope, value.id, 'class', value.end!)
      return this.classBody(value, scope, value.id?.name ?? 'default')
    }
    if (value.type === 'TSDeclareFunction' || (value as Node).type === 'TSInterfaceDeclaration') return
    const fn = unwrapFunction(value as Expression)
    if (fn) this.fn(fn, scope, 'default', null, redundant)
    else this.expression(value as Expression, scope, 'default')
  }

  private functionDeclaration(
    node: FunctionDeclaration,
    scope: Scope,
    exportStatement: ExportNamedDeclaration | ExportDefaultDeclaration | null,
    redundant = scope.kind === 'module' && !!node.id && !!this.moduleExports?.has(node.id.name),
  ): void {
    const binding = node.id ? declare(scope, node.id, 'function', node.end!) : null
    const hint = exportStatement?.type === 'ExportDefaultDeclaration' ? 'default' : null
    const inline = this.fn(node, scope, hint, exportStatement, redundant)
    if (binding && inline) binding.inlineFunction = inline
  }

  private variableDeclaration(node: VariableDeclaration, scope: Scope): void {
    if (node.declare) return
    const kind: BindingKind = node.kind === 'var' ? 'var' : node.kind === 'let' ? 'let' : 'const'
    const target = kind === 'var' ? scope.functionScope : scope
    for (const declarator of node.declarations) {
      if (declarator.id.type !== 'Identifier') {
        this.declarePattern(declarator.id, target, kind, declarator.end!, scope)
        if (declarator.init) this.expression(declarator.init, scope)
        continue
      }
      const name = declarator.id.name
      const binding = declare(target, declarator.id, kind, declarator.end!)
      if (!declarator.init) continue
      const fn = unwrapFunction(declarator.init)
      if (!fn) {
        this.expression(declarator.init, scope, name)
        continue
      }
      const redundant = scope.kind === 'module' && !!this.moduleExports?.has(name)
      const inline = this.fn(fn, scope, name, null, redundant)
      if (binding && inline) binding.inlineFunction = inline
    }
  }

  /** Declares the names of a binding pattern; defaults and computed keys are evaluated in `valueScope`. */
  private declarePattern(node: Node, target: Scope, kind: BindingKind, declaredEnd: number, valueScope: Scope): void {
    switch (node.type) {
      case 'Identifier':
        declare(target, node, kind, declaredEnd)
        return
      case 'ObjectPattern':
        for (const property of node.properties) {
          if (property.type === 'RestElement') {
            this.declarePattern(property.argument, target, kind, declaredEnd, valueScope)
            continue
          }
          if (property.computed) this.expression(property.key as Expression, valueScope)
          this.declarePattern(property.value, target, kind, declaredEnd, valueScope)
        }
        return
      case 'ArrayPattern':
        for (const element of node.elements) if (element) this.declarePattern(element, target, kind, declaredEnd, valueScope)
        return
      case 'AssignmentPattern':
        this.declarePattern(node.left, target, kind, declaredEnd, valueScope)
        this.expression(node.right, valueScope, node.left.type === 'Identifier' ? node.left.name : null)
        return
      case 'RestElement':
        return this.declarePattern(node.argument, target, kind, declaredEnd, valueScope)
      case 'TSParameterProperty':
        return this.declarePattern(node.parameter, target, kind, declaredEnd, valueScope)
    }
  }

  /**
   * Enters a function. When its body starts with 'use server' it becomes an inline server function:
   * references inside are recorded on it, and `this` / `arguments` / `super` are reported.
   */
  protected fn(
    node: InlineFunctionNode,
    outer: Scope,
    hint: string | null,
    exportStatement: ExportNamedDeclaration | ExportDefaultDeclaration | null = null,
    redundant = false,
  ): InlineFunction | null {
    const ownName = (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && node.id ? node.id.name : null
    const name = ownName ?? hint
    const body = node.body
    const directives = body.type === 'BlockStatement' && body.directives.length > 0 ? body.directives : null
    const directive = directives && findServerDirective(directives, this.code, this.id, 'function')
    const scope = createScope('function', outer, node.start!, body.type === 'BlockStatement' ? (directives ? directives[directives.length - 1]!.end! : body.start! + 1) : null)

    let inline: InlineFunction | null = null
    if (directive && !redundant) {
      inline = {
        node,
        directive,
        displayName: name ?? 'anonymous',
        enclosingNames: [...this.names],
        parent: this.inline,
        scope,
        bodyScope: scope,
        outerScope: outer,
        exportStatement,
        references: [],
        contextUses: [],
      }
      scope.inline = inline
      this.functions.push(inline)
    }
    if (node.type === 'FunctionExpression' && node.id) declare(scope, node.id, 'functionName', node.id.end!)

    const savedInline = this.inline
    const savedContext = this.context
    if (inline) this.inline = this.context = inline
    else if (node.type !== 'ArrowFunctionExpression') this.context = null
    if (name) this.names.push(name)
    for (const param of node.params) this.declarePattern(param, scope, 'param', param.end!, scope)
    // With default values or computed keys among the parameters, the body's declarations live in an
    // environment of their own, which those expressions do not see (a closure there reads outside).
    let bodyScope = scope
    if (body.type === 'BlockStatement' && node.params.some(containsExpression)) {
      bodyScope = createScope('function', scope, body.start!, scope.statementsStart)
      bodyScope.parameterScope = scope
    }
    if (inline) inline.bodyScope = bodyScope
    if (body.type === 'BlockStatement') for (const statement of body.body) this.statement(statement, bodyScope)
    else this.expression(body, scope)
    if (name) this.names.pop()
    this.inline = savedInline
    this.context = savedContext
    return inline
  }

  protected classBody(node: Class, scope: Scope, name: string | null): void {
    for (const decorator of node.decorators ?? []) this.expression(decorator.expression, scope)
    const classScope = createScope('class', scope, node.start!)
    // the class's own name inside its body is initialized before any static member runs; `extends`
    // is evaluated in the class's scope already, where the name exists but is not initialized yet
    if (node.id) declare(classScope, node.id, 'class', node.body.start!)
    if (node.superClass) this.expression(node.superClass, classScope)
    if (name) this.names.push(name)
    for (const member of node.body.body) {
      if ('decorators' in member) for (const decorator of member.decorators ?? []) this.expression(decorator.expression, classScope)
      switch (member.type) {
        case 'ClassMethod':
        case 'ClassPrivateMethod': {
          const computed = member.type === 'ClassMethod' && member.computed
          if (computed) this.expression(member.key, classScope)
          const key = member.type === 'ClassPrivateMethod' ? `#${member.key.id.name}` : staticPropertyName(member.key, computed)
          this.fn(member, classScope, key)
          break
        }
        case 'ClassProperty':
        case 'ClassPrivateProperty':
        case 'ClassAccessorProperty': {
          const computed = member.type !== 'ClassPrivateProperty' && member.computed
          if (computed) this.expression(member.key as Expression, classScope)
          if (!member.value) break
          // a field initializer runs with the instance (or class) as `this`, like a method
          const saved = this.context
          this.context = null
          this.expression(member.value, classScope, staticPropertyName(member.key, computed))
          this.context = saved
          break
        }
        case 'StaticBlock': {
          const saved = this.context
          this.context = null
          const block = createScope('function', classScope, member.start!, expectToken(this.code, member.start! + 'static'.length, '{') + 1)
          for (const statement of member.body) this.statement(statement, block)
          this.context = saved
          break
        }
      }
    }
    if (name) this.names.pop()
  }
}

/** The function an expression is, seen through parentheses and TypeScript assertions (`fn as Action`). */
function unwrapFunction(node: Node): Extract<InlineFunctionNode, { type: 'FunctionExpression' | 'ArrowFunctionExpression' }> | null {
  const current = skipTypeWrappers(node)
  return current.type === 'FunctionExpression' || current.type === 'ArrowFunctionExpression' ? current : null
}

/** Whether a parameter holds code: a default value, or a computed key in a pattern. */
function containsExpression(node: Node): boolean {
  switch (node.type) {
    case 'AssignmentPattern':
      return true
    case 'ObjectPattern':
      return node.properties.some((p) => (p.type === 'RestElement' ? containsExpression(p.argument) : p.computed || containsExpression(p.value)))
    case 'ArrayPattern':
      return node.elements.some((e) => e !== null && containsExpression(e))
    case 'RestElement':
      return containsExpression(node.argument)
    case 'TSParameterProperty':
      return containsExpression(node.parameter)
    default:
      return false
  }
}
