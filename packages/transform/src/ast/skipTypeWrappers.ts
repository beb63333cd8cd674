import type { Node } from '@babel/types'

/** The expression under parentheses and TypeScript-only wrappers (`x as T`, `x satisfies T`, `x!`, `<T>x`). */
export function skipTypeWrappers(node: Node): Node {
  let current = node
  while (
    current.type === 'TSAsExpression' ||
    current.type === 'TSSatisfiesExpression' ||
    current.type === 'TSNonNullExpression' ||
    current.type === 'TSTypeAssertion' ||
    current.type === 'ParenthesizedExpression'
  ) {
    current = current.expression
  }
  return current
}
