import { positionAt } from '../errors/positionAt.js'
import { transformErrorAt, type TransformErrorCode } from '../errors/TransformError.js'
import type { InlineFunction } from './scopes.js'

/**
 * Rejects an inline server function that cannot work once hoisted to module level and called from
 * the browser: accessors and instance methods (they need an object the server does not have), sync
 * functions (a call over the network always returns a promise), and code that reads `this`,
 * `arguments` or `super`, which would no longer refer to what they do in place.
 */
export function checkInlineFunction(fn: InlineFunction, code: string, id: string): void {
  const { node, displayName } = fn
  const fail = (errorCode: TransformErrorCode, offset: number, reason: string) =>
    transformErrorAt(errorCode, reason, code, id, positionAt(code, offset))
  const name = serverFunctionLabel(fn)

  if (node.type === 'ClassPrivateMethod') {
    throw fail('INLINE_UNSUPPORTED_METHOD', node.start!, `${name} is a private method: nothing outside its class can reach it, so the browser cannot call it. Make it a public \`static async\` method, or a function.`)
  }
  if ((node.type === 'ObjectMethod' || node.type === 'ClassMethod') && (node.kind === 'get' || node.kind === 'set')) {
    const what = node.kind === 'get' ? 'getter' : 'setter'
    throw fail('INLINE_UNSUPPORTED_METHOD', node.start!, `${name} is a ${what}: a ${what} runs on property access, which cannot reach the server. Make it an async method or function that callers call.`)
  }
  if (node.type === 'ClassMethod' && node.kind === 'constructor') {
    throw fail('INLINE_UNSUPPORTED_METHOD', node.start!, `A constructor cannot be a server function. Move the 'use server' code into a \`static async\` method or a function.`)
  }
  if (node.type === 'ClassMethod' && !node.static) {
    throw fail('INLINE_UNSUPPORTED_METHOD', node.start!, `${name} is an instance method: the instance it would run on lives where it was created, not on the server. Make it \`static async ${displayName}()\`, or move it out of the class and pass what it needs as arguments.`)
  }
  if (!node.async) {
    throw fail('INLINE_NOT_ASYNC', node.start!, `${name} must be async: calls from the browser always return a promise. Write \`async\` before it${node.generator ? ' (an async generator is fine)' : ''}.`)
  }

  const use = fn.contextUses[0]
  if (!use) return
  const hoisted = `${name} is moved to module level and called from the browser, so`
  switch (use.keyword) {
    case 'this':
      throw fail('INLINE_USES_THIS', use.start, `${hoisted} \`this\` would not be what it is here. Read what you need into a variable outside the function (\`const id = this.id\`) and use that: variables are captured.`)
    case 'arguments':
      throw fail('INLINE_USES_ARGUMENTS', use.start, `${hoisted} \`arguments\` would not hold what it does here. Declare rest parameters instead: \`async (...args) => { 'use server'; … }\`.`)
    case 'super':
      throw fail('INLINE_USES_SUPER', use.start, `${hoisted} \`super\` would have no class to refer to. Call a function or a static method by name instead.`)
  }
}

/** `Server function "save"`, or `This server function` when it has no name. */
export function serverFunctionLabel(fn: InlineFunction): string {
  return fn.displayName === 'anonymous' ? 'This server function' : `Server function ${JSON.stringify(fn.displayName)}`
}
