import type {
  ArrowFunctionExpression,
  ClassMethod,
  ClassPrivateMethod,
  Directive,
  ExportDefaultDeclaration,
  ExportNamedDeclaration,
  FunctionDeclaration,
  FunctionExpression,
  ObjectMethod,
} from '@babel/types'

/** How a name was declared; it decides when its value exists and whether it can change. */
export type BindingKind = 'param' | 'catch' | 'var' | 'let' | 'const' | 'function' | 'class' | 'functionName'

export interface Binding {
  name: string
  /** Offset of the identifier that declares it (the first one, for a `var` declared again). */
  declaredAt: number
  kind: BindingKind
  scope: Scope
  /** Offset where the declaration ends: a lexical binding holds its value once execution has passed it. */
  declaredEnd: number
  /** Written anywhere after its declaration (`x = …`, `x++`, `for (x of …)`, destructuring assignment). */
  reassigned: boolean
  /** The inline server function this binding is declared to hold (`async function f`, `const f = async () =>`). */
  inlineFunction: InlineFunction | null
  /** Where a second function declaration of the name in the same scope starts (the last one wins). */
  redeclaredAt?: number
}

export type ScopeKind = 'module' | 'function' | 'block' | 'class'

export interface Scope {
  kind: ScopeKind
  parent: Scope | null
  /** Where `var` lands: the nearest function scope (itself for one), or the module scope. */
  functionScope: Scope
  /** The innermost inline server function whose code contains this scope. */
  inline: InlineFunction | null
  /** Created on the first declaration; never in the module scope, whose names are never captured. */
  bindings: Map<string, Binding> | null
  start: number
  /** Where a statement can be inserted to run before anything else in the scope; null where none can (between the cases of a switch). */
  statementsStart: number | null
  /**
   * For the cases of a switch with a `case` test: the test evaluated first, before any case body runs
   * (so an expression placed there runs before any code of the scope).
   */
  firstCaseTest?: { start: number; end: number }
  /** For the body of a function whose parameters hold expressions: the scope of those parameters. */
  parameterScope?: Scope
}

/** One non-computed member read: `.name` or `?.name`, and the offset where that member expression ends. */
export interface Segment {
  name: string
  optional: boolean
  end: number
}

/** A name read or written inside an inline server function. */
export interface Reference {
  name: string
  scope: Scope
  start: number
  /** Non-computed member reads from the name outward: `post.author.name` gives author, name. Empty for a bare use. */
  path: Segment[]
  /** The member chain goes on after `path` (a call or a computed member), so a `?.` in it may short-circuit more. */
  continues: boolean
  write: boolean
  /** The value of a shorthand property (`{ post }`): renamed, it must keep its key (`{ post: $$post }`). */
  shorthand: boolean
}

export type InlineFunctionNode =
  | FunctionDeclaration
  | FunctionExpression
  | ArrowFunctionExpression
  | ObjectMethod
  | ClassMethod
  | ClassPrivateMethod

/** A function whose body starts with its own 'use server' directive. */
export interface InlineFunction {
  node: InlineFunctionNode
  directive: Directive
  /** The name a developer would recognise: the function's own, or the one it is assigned to; `anonymous` if none. */
  displayName: string
  /** Names of the named functions and classes around it, outermost first. */
  enclosingNames: string[]
  /** The inline function whose body contains this one, if any. */
  parent: InlineFunction | null
  /** Its own function scope (parameters, and the body's declarations unless `bodyScope` holds them). */
  scope: Scope
  /** Where the body's declarations live: `scope`, or a scope inside it when parameters hold expressions. */
  bodyScope: Scope
  /** The scope it sits in. */
  outerScope: Scope
  /** `export` / `export default` statement around a function declaration. */
  exportStatement: ExportNamedDeclaration | ExportDefaultDeclaration | null
  /** Names read or written in its code, except inside nested inline functions (they keep their own). */
  references: Reference[]
  /** `this`, `arguments` and `super` that would refer to something the hoisted function cannot see. */
  contextUses: Array<{ keyword: 'this' | 'arguments' | 'super'; start: number }>
}

export function createScope(kind: ScopeKind, parent: Scope | null, start: number, statementsStart: number | null = null): Scope {
  const scope: Scope = {
    kind,
    parent,
    functionScope: null as unknown as Scope,
    inline: parent?.inline ?? null,
    bindings: null,
    start,
    statementsStart,
  }
  scope.functionScope = kind === 'function' || kind === 'module' || !parent ? scope : parent.functionScope
  return scope
}

/** Records a name in `scope` (nothing at module level). A later declaration of the same name replaces it. */
export function declare(scope: Scope, id: { name: string; start?: number | null }, kind: BindingKind, declaredEnd: number): Binding | null {
  if (scope.kind === 'module') return null
  const { name } = id
  scope.bindings ??= new Map()
  const existing = scope.bindings.get(name)
  // `var x` twice, or `var x` beside a parameter `x`: still one variable
  if (existing && (kind === 'var' || existing.kind === 'param') && existing.kind !== 'functionName') {
    if (existing.kind === 'function') existing.reassigned = true // the `var`'s value may replace the function
    return existing
  }
  // a function declared again, or where a `var` is: one variable still, holding the last function
  if (existing && kind === 'function' && (existing.kind === 'var' || existing.kind === 'function')) {
    if (existing.kind === 'function') existing.redeclaredAt = id.start!
    existing.reassigned = true
    existing.kind = 'function'
    existing.inlineFunction = null
    return existing
  }
  const binding: Binding = { name, declaredAt: id.start!, kind, scope, declaredEnd, reassigned: false, inlineFunction: null }
  scope.bindings.set(name, binding)
  return binding
}

/** The binding a name refers to from `scope`; null for module-level names and globals. */
export function resolve(scope: Scope, name: string): Binding | null {
  for (let current: Scope | null = scope; current; current = current.parent) {
    const binding = current.bindings?.get(name)
    if (binding) return binding
  }
  return null
}

/** True when `scope` lies within the code of `fn` (its parameters, body, or anything nested in them). */
export function isWithin(scope: Scope, fn: InlineFunction): boolean {
  for (let inline = scope.inline; inline; inline = inline.parent) if (inline === fn) return true
  return false
}
