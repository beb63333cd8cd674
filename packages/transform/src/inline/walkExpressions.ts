import type { Class, Expression, JSXElement, JSXFragment, Node, Statement } from '@babel/types'
import { staticPropertyName } from './propertyKey.js'
import type { InlineFunction, InlineFunctionNode, Scope, Segment } from './scopes.js'

type MemberNode = Extract<Node, { type: 'MemberExpression' | 'OptionalMemberExpression' }>
type MemberRole = 'read' | 'call' | 'write'

/** The path of a bare use (no members read): one shared array, never changed. */
const NO_MEMBERS: Segment[] = Object.freeze([]) as unknown as Segment[]

// Keys of AST nodes that never hold code: positions, comments, and TypeScript types (erased at build).
const NOT_CODE = new Set([
  'type', 'start', 'end', 'loc', 'range', 'extra', 'leadingComments', 'trailingComments', 'innerComments',
  'typeAnnotation', 'typeParameters', 'typeArguments', 'returnType', 'superTypeParameters', 'implements', 'predicate',
])

/**
 * The expression half of the module walk (see `analyzeModule`): every name an expression reads or
 * writes, member chains for narrowing, JSX tags, and the `this` / `arguments` / `super` an inline
 * function could not keep. Statements, functions and classes, which open scopes, are the subclass's.
 */
export abstract class ExpressionWalker {
  readonly functions: InlineFunction[] = []
  readonly writes: Array<{ name: string; scope: Scope }> = []
  /** The innermost inline server function around the current node: references are recorded on it. */
  protected inline: InlineFunction | null = null
  /** The inline function that `this`, `arguments` and `super` would escape from; null once a non-arrow function intervenes. */
  protected context: InlineFunction | null = null
  /** Names of the named functions and classes around the current node. */
  protected readonly names: string[] = []

  abstract statement(node: Statement, scope: Scope): void
  protected abstract fn(node: InlineFunctionNode, outer: Scope, hint: string | null): InlineFunction | null
  protected abstract classBody(node: Class, scope: Scope, name: string | null): void

  expression(node: Node, scope: Scope, hint: string | null = null): void {
    switch (node.type) {
      case 'Identifier':
        return this.reference(node.name, node.start!, scope, NO_MEMBERS, false, false)
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        return this.memberChain(node, scope, 'read')
      case 'CallExpression':
      case 'OptionalCallExpression':
        this.callee(node.callee, scope)
        for (const argument of node.arguments) this.expression(argument, scope)
        return
      case 'NewExpression':
        this.expression(node.callee, scope)
        for (const argument of node.arguments) this.expression(argument, scope)
        return
      case 'TaggedTemplateExpression':
        this.callee(node.tag, scope)
        for (const expression of node.quasi.expressions) this.expression(expression, scope)
        return
      case 'AssignmentExpression': {
        this.assignmentTarget(node.left, scope)
        const left = node.left
        const name =
          left.type === 'Identifier' ? left.name
          : left.type === 'MemberExpression' && !left.computed && left.property.type === 'Identifier' ? left.property.name
          : null
        return this.expression(node.right, scope, name)
      }
      case 'UpdateExpression':
        return this.assignmentTarget(node.argument, scope)
      case 'UnaryExpression':
        if (node.operator === 'delete' && (node.argument.type === 'MemberExpression' || node.argument.type === 'OptionalMemberExpression')) {
          return this.memberChain(node.argument, scope, 'write')
        }
        return this.expression(node.argument, scope)
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.fn(node, scope, hint)
        return
      case 'ClassExpression':
        return this.classBody(node, scope, node.id?.name ?? hint)
      case 'ObjectExpression':
        for (const property of node.properties) {
          if (property.type === 'SpreadElement') {
            this.expression(property.argument, scope)
            continue
          }
          if (property.computed) this.expression(property.key, scope)
          const key = staticPropertyName(property.key, property.computed)
          if (property.type === 'ObjectMethod') this.fn(property, scope, key)
          else if (property.shorthand && property.value.type === 'Identifier') {
            this.reference(property.value.name, property.value.start!, scope, NO_MEMBERS, false, false, true)
          } else this.expression(property.value, scope, key)
        }
        return
      case 'ThisExpression':
        if (this.context) this.context.contextUses.push({ keyword: 'this', start: node.start! })
        return
      case 'Super':
        if (this.context) this.context.contextUses.push({ keyword: 'super', start: node.start! })
        return
      case 'JSXElement':
      case 'JSXFragment':
        return this.jsx(node, scope)
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
      case 'TSNonNullExpression':
      case 'TSInstantiationExpression':
      case 'ParenthesizedExpression':
        return this.expression(node.expression, scope, hint)
      case 'SequenceExpression':
        for (const expression of node.expressions) this.expression(expression, scope)
        return
      case 'ConditionalExpression':
        this.expression(node.test, scope)
        this.expression(node.consequent, scope)
        return this.expression(node.alternate, scope)
      case 'BinaryExpression':
      case 'LogicalExpression':
        this.expression(node.left, scope)
        return this.expression(node.right, scope)
      case 'AwaitExpression':
      case 'SpreadElement':
        return this.expression(node.argument, scope)
      case 'YieldExpression':
        if (node.argument) this.expression(node.argument, scope)
        return
      case 'ArrayExpression':
        for (const element of node.elements) if (element) this.expression(element, scope)
        return
      case 'TemplateLiteral':
        for (const expression of node.expressions) this.expression(expression, scope)
        return
      case 'StringLiteral':
      case 'NumericLiteral':
      case 'BooleanLiteral':
      case 'NullLiteral':
      case 'BigIntLiteral':
      case 'RegExpLiteral':
      case 'DecimalLiteral':
      case 'MetaProperty':
      case 'PrivateName':
      case 'Import':
      case 'JSXEmptyExpression':
      case 'ArgumentPlaceholder':
        return
      default:
        return this.children(node, scope)
    }
  }

  protected callee(node: Node, scope: Scope): void {
    if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') this.memberChain(node, scope, 'call')
    else this.expression(node, scope)
  }

  /**
   * A member chain such as `post.author?.name`: the reference is its root name, with the non-computed
   * members read from it, so a captured `post` can be narrowed to the values the function reads.
   * A call drops the last member (`post.save()` needs `post` as `this`); a write needs the object itself.
   */
  protected memberChain(node: MemberNode, scope: Scope, role: MemberRole): void {
    if (!this.inline) {
      // outside inline functions nothing is recorded: just visit what the chain contains
      this.expression(node.object, scope)
      if (node.computed) this.expression(node.property, scope)
      return
    }
    const chain: MemberNode[] = []
    let root: Node = node
    for (;;) {
      if ((root.type === 'MemberExpression' || root.type === 'OptionalMemberExpression') && (root === node || !root.extra?.parenthesized)) {
        chain.push(root)
        root = root.object
      } else if (root.type === 'TSNonNullExpression' && !root.extra?.parenthesized) {
        root = root.expression // `post!.id` reads `post.id`: the `!` is a type assertion only
      } else break
    }
    chain.reverse() // innermost first: the order the members are read in
    if (root.type === 'Identifier' && !root.extra?.parenthesized) {
      const path: Segment[] = []
      for (const member of chain) {
        if (member.computed || member.property.type !== 'Identifier') break
        path.push({ name: member.property.name, optional: member.optional === true, end: member.end! })
      }
      let continues = path.length < chain.length
      if (role === 'write') path.length = 0
      else if (role === 'call' && path.length === chain.length) {
        path.pop()
        continues = true
      }
      this.reference(root.name, root.start!, scope, path, continues, false)
    } else {
      this.expression(root, scope)
    }
    for (const member of chain) if (member.computed) this.expression(member.property, scope)
  }

  protected assignmentTarget(node: Node, scope: Scope): void {
    switch (node.type) {
      case 'Identifier':
        this.writes.push({ name: node.name, scope })
        return this.reference(node.name, node.start!, scope, NO_MEMBERS, false, true)
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        return this.memberChain(node, scope, 'write')
      case 'ObjectPattern':
        for (const property of node.properties) {
          if (property.type === 'RestElement') {
            this.assignmentTarget(property.argument, scope)
            continue
          }
          if (property.computed) this.expression(property.key as Expression, scope)
          this.assignmentTarget(property.value, scope)
        }
        return
      case 'ArrayPattern':
        for (const element of node.elements) if (element) this.assignmentTarget(element, scope)
        return
      case 'AssignmentPattern':
        this.assignmentTarget(node.left, scope)
        return this.expression(node.right, scope)
      case 'RestElement':
        return this.assignmentTarget(node.argument, scope)
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
      case 'TSNonNullExpression':
      case 'ParenthesizedExpression':
        return this.assignmentTarget(node.expression, scope)
      default:
        return this.expression(node, scope)
    }
  }

  protected reference(name: string, start: number, scope: Scope, path: Segment[], continues: boolean, write: boolean, shorthand = false): void {
    if (name === 'arguments' && this.context) this.context.contextUses.push({ keyword: 'arguments', start })
    this.inline?.references.push({ name, scope, start, path, continues, write, shorthand })
  }

  protected jsx(node: JSXElement | JSXFragment, scope: Scope): void {
    if (node.type === 'JSXElement') {
      const opening = node.openingElement
      this.jsxTag(opening.name, scope)
      for (const attribute of opening.attributes) {
        if (attribute.type === 'JSXSpreadAttribute') this.expression(attribute.argument, scope)
        else if (attribute.value?.type === 'JSXExpressionContainer') {
          const name = attribute.name.type === 'JSXIdentifier' ? attribute.name.name : attribute.name.name.name
          this.expression(attribute.value.expression, scope, name)
        } else if (attribute.value && attribute.value.type !== 'StringLiteral') this.expression(attribute.value, scope)
      }
    }
    for (const child of node.children) {
      if (child.type === 'JSXElement' || child.type === 'JSXFragment') this.jsx(child, scope)
      else if (child.type === 'JSXExpressionContainer' || child.type === 'JSXSpreadChild') this.expression(child.expression, scope)
    }
  }

  /** `<Form>` and `<ui.Form>` read a variable; `<form>` (lowercase) and `<svg:rect>` are intrinsic elements. */
  protected jsxTag(name: Node, scope: Scope): void {
    let root = name
    while (root.type === 'JSXMemberExpression') root = root.object
    if (root.type !== 'JSXIdentifier') return
    if (root.name === 'this') {
      if (this.context) this.context.contextUses.push({ keyword: 'this', start: root.start! })
    } else if (root !== name || !isLowercaseLetter(root.name.charCodeAt(0))) {
      this.reference(root.name, root.start!, scope, NO_MEMBERS, false, false)
    }
  }

  /** Any node this walker has no rule for: visit what it contains, statements as statements. */
  protected children(node: Node, scope: Scope): void {
    for (const key in node) {
      if (NOT_CODE.has(key)) continue
      const value = (node as unknown as Record<string, unknown>)[key]
      for (const child of Array.isArray(value) ? value : [value]) {
        if (!child || typeof child !== 'object' || typeof (child as Node).type !== 'string') continue
        const type = (child as Node).type
        if (type.endsWith('Statement') || type.endsWith('Declaration')) this.statement(child as Statement, scope)
        else this.expression(child as Node, scope)
      }
    }
  }
}

function isLowercaseLetter(c: number): boolean {
  return c >= 97 && c <= 122
}
