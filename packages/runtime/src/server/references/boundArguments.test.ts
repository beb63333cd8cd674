import { describe, expect, test } from 'vitest'
import { createReferenceReviver } from './boundArguments.js'
import { resolveHandlerOptions } from '../handlerOptions.js'
import { registerServerReference } from './registry.js'
import { isServerReference } from './serverReference.js'

registerServerReference(async (a: number, b: number) => a * b, 'revive-multiply', 'multiply')

describe('createReferenceReviver', () => {
  const revive = createReferenceReviver(resolveHandlerOptions({ dev: false }))

  test('a reference from a request calls the function it names, with its client-bound values first', async () => {
    const fn = revive({ id: 'revive-multiply', bound: [6] })
    expect(isServerReference(fn)).toBe(true)
    expect(await fn(7)).toBe(42)
  })

  test('printed, it shows no source: not the function it names, not the wrapper that calls it', () => {
    const fn = revive({ id: 'revive-multiply', bound: [] })
    expect(String(fn)).toBe('function () { [native code] }')
    expect(`${fn}`).not.toContain('=>')
  })
})
