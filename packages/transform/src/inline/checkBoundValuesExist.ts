import { positionAt } from '../errors/positionAt.js'
import { transformErrorAt } from '../errors/TransformError.js'
import { serverFunctionLabel } from './checkInlineFunction.js'
import { boundText, type BoundValue } from './narrowMemberCaptures.js'
import type { InlineFunction } from './scopes.js'

/**
 * Bound values are read where the reference is created, not when the function is called. A closure
 * may use a `const` declared below it (or the object it is part of: `const actions = { async save()
 * { … actions … } }`), since it runs later; the reference would meet that variable before its
 * declaration ran (a TDZ error, or `undefined` for a `var`). Such code is rejected with the fix.
 * When a function boundary lies between the variable's scope and the site, the site runs later (when
 * that function is called), so nothing can be told here and nothing is rejected.
 */
export function checkBoundValuesExist(fn: InlineFunction, bound: readonly BoundValue[], siteStart: number, code: string, id: string): void {
  for (const value of bound) {
    const { binding } = value
    if (binding.kind !== 'let' && binding.kind !== 'const' && binding.kind !== 'var' && binding.kind !== 'class') continue
    if (binding.declaredEnd <= siteStart) continue
    let runsLater = false
    for (let scope = fn.outerScope; scope !== binding.scope && scope.parent; scope = scope.parent) if (scope.kind === 'function') runsLater = true
    if (runsLater) continue
    throw transformErrorAt(
      'INLINE_CAPTURES_UNINITIALIZED',
      `${serverFunctionLabel(fn)} captures \`${boundText(binding, value.path)}\`, but \`${binding.name}\` is not initialized yet where the function is created: captured values are read when its reference is made there, not when it is called. Create the function after \`${binding.name}\` is declared (not inside its value), or pass what it needs as an argument.`,
      code,
      id,
      positionAt(code, fn.node.start!),
    )
  }
}
