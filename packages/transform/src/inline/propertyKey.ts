import type { Node } from '@babel/types'

/**
 * The name a property or method key stands for when it is known at compile time: `save`, `'my-action'`,
 * `["save"]`, `1`. Null for computed keys that are expressions, and for private names.
 */
export function staticPropertyName(key: Node, computed: boolean): string | null {
  switch (key.type) {
    case 'Identifier':
      return computed ? null : key.name
    case 'StringLiteral':
      return key.value
    case 'NumericLiteral':
      return String(key.value)
    case 'BigIntLiteral':
      return key.value
    default:
      return null
  }
}
