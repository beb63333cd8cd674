import type { BoundValue } from './narrowMemberCaptures.js'
import type { Binding, InlineFunction, Scope } from './scopes.js'

/**
 * Where the binding that replaces an inline function declaration goes. A declaration is hoisted:
 * code above it, or a function called before it (`return <form action={save} />` with `save`
 * declared below), may use it. So the binding goes to the start of its scope whenever every bound
 * value is already final there; only when a value comes into existence or changes in between
 * (a `const` declared earlier in the same block, a reassigned `let`) does it stay in place.
 * Returns the offset to insert at, or null for "in place".
 */
export function placeDeclaration(fn: InlineFunction, bound: readonly BoundValue[]): number | null {
  const scope = fn.outerScope
  if (scope.statementsStart === null) return null
  return bound.every((value) => isFinalAtStart(value.binding, scope)) ? scope.statementsStart : null
}

function isFinalAtStart(binding: Binding, scope: Scope): boolean {
  if (binding.reassigned) return false
  switch (binding.kind) {
    case 'param':
    case 'catch':
    case 'function':
    case 'functionName':
      // initialized before the first statement of any scope inside their own
      return true
    default:
      // a `const`, `let`, `var` or class of an enclosing scope, declared before this scope begins
      return binding.scope !== scope && binding.declaredEnd <= scope.start
  }
}
