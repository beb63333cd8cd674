import type { InlineFunctionNode } from './scopes.js'
import { expectToken, findTokenAfter, skipTrivia } from '../parse/sourceTokens.js'

/** Offsets in a function's source that hoisting edits around. */
export interface FunctionParts {
  /** Start of what moves to module level: type parameters, `(`, or the lone parameter of `async x => {}`. */
  signatureStart: number
  /** The `(` the bound parameters go after; null for a lone arrow parameter, which gets parentheses instead. */
  paramsOpen: number | null
  /** `=>` of an arrow function. */
  arrow: number | null
  /** For a method: `async` and `*`, up to the key, which the property or field left at the site drops. */
  modifiers: { start: number; end: number } | null
}

const CLASS_MODIFIERS = new Set(['static', 'public', 'private', 'protected', 'override', 'readonly', 'declare', 'abstract', 'accessor'])

export function functionParts(node: InlineFunctionNode, code: string): FunctionParts {
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
      return signature(node, code, node.id ? node.id.end! : afterFunctionKeyword(code, node.start!), null, null)
    case 'ArrowFunctionExpression': {
      const afterAsync = skipTrivia(code, node.start! + 'async'.length)
      const lone = code[afterAsync] !== '(' && code[afterAsync] !== '<'
      const parts = lone ? { signatureStart: afterAsync, paramsOpen: null, arrow: null, modifiers: null } : signature(node, code, afterAsync, null, null)
      const lastParam = node.params[node.params.length - 1]
      const from = node.returnType?.end ?? lastParam?.end ?? parts.paramsOpen! + 1
      parts.arrow = findTokenAfter(code, from, '=>', ',)')
      return parts
    }
    default: {
      const start = skipModifiers(code, node.decorators?.length ? node.decorators[node.decorators.length - 1]!.end! : node.start!)
      const asyncEnd = expectToken(code, start, 'async') + 'async'.length
      let keyStart = skipTrivia(code, asyncEnd)
      if (code[keyStart] === '*') keyStart = skipTrivia(code, keyStart + 1)
      const computed = node.type !== 'ClassPrivateMethod' && node.computed
      const keyEnd = computed ? findTokenAfter(code, node.key.end!, ']', ')') + 1 : node.key.end!
      return signature(node, code, keyEnd, null, { start, end: keyStart })
    }
  }
}

function signature(node: InlineFunctionNode, code: string, after: number, arrow: number | null, modifiers: FunctionParts['modifiers']): FunctionParts {
  const typeParameters = node.typeParameters
  if (typeParameters) return { signatureStart: typeParameters.start!, paramsOpen: expectToken(code, typeParameters.end!, '('), arrow, modifiers }
  const paramsOpen = findTokenAfter(code, after, '(', '?')
  return { signatureStart: paramsOpen, paramsOpen, arrow, modifiers }
}

/** Just after `async function` or `async function*` (comments between them allowed). */
export function afterFunctionKeyword(code: string, start: number): number {
  const at = expectToken(code, expectToken(code, start, 'async') + 'async'.length, 'function') + 'function'.length
  const next = skipTrivia(code, at)
  return code[next] === '*' ? next + 1 : at
}

/** Past `static`, `public` and the other class member modifiers that may come before `async`. */
function skipModifiers(code: string, from: number): number {
  let at = skipTrivia(code, from)
  for (;;) {
    const word = /^[a-z]+/.exec(code.slice(at, at + 12))?.[0]
    if (!word || !CLASS_MODIFIERS.has(word) || !/[\s/]/.test(code[at + word.length] ?? '')) return at
    at = skipTrivia(code, at + word.length)
  }
}
