import { describe, expect, test } from 'vitest'
import { installServerFunctionResolver, registerServerReference, resolveServerFunction } from './registry.js'
import { isServerReference, SERVER_REFERENCE } from './serverReference.js'

describe('registerServerReference', () => {
  test('marks the function with React’s reference shape and registers it', () => {
    const fn = registerServerReference(async () => 1, 'reg-a', 'a')
    expect(isServerReference(fn)).toBe(true)
    expect((fn as unknown as { $$typeof: symbol }).$$typeof).toBe(SERVER_REFERENCE)
    expect(resolveServerFunction('reg-a')).toMatchObject({ fn, name: 'a', boundCount: 0 })
  })

  test('is a cheap no-op the second time (inline functions register on every render)', () => {
    const fn = async () => 1
    expect(registerServerReference(fn, 'reg-b', 'b')).toBe(registerServerReference(fn, 'reg-b', 'b'))
  })

  test('the newest function wins an id (an edited module in development)', () => {
    registerServerReference(async () => 'old', 'reg-c', 'c')
    const fresh = registerServerReference(async () => 'new', 'reg-c', 'c')
    expect((resolveServerFunction('reg-c') as { fn: unknown }).fn).toBe(fresh)
  })

  test('refuses a value that is not a function, naming the export', () => {
    expect(() => registerServerReference({ not: 'a function' }, 'reg-d', 'settings')).toThrow(/export "settings" \(id reg-d\) of a 'use server' module is an object, not a function/)
    expect(() => registerServerReference(undefined, 'reg-e', 'missing')).toThrow(/is undefined, not a function/)
  })

  test('bind returns a new reference that carries the bound values and still calls through', async () => {
    const add = registerServerReference(async (a: number, b: number, c: number) => a + b + c, 'reg-f', 'add')
    const addOne = add.bind(null, 1)
    const addThree = addOne.bind(null, 2)
    expect(isServerReference(addThree)).toBe(true)
    expect((addThree as unknown as { $$bound: unknown[]; $$id: string }).$$bound).toEqual([1, 2])
    expect((addThree as unknown as { $$id: string }).$$id).toBe('reg-f')
    expect(await addThree(3)).toBe(6)
  })

  test('an installed resolver is the only authority while installed', () => {
    registerServerReference(async () => 1, 'reg-g', 'g')
    const uninstall = installServerFunctionResolver((id) => (id === 'only-this' ? { fn: () => 2, name: 'x' } : undefined))
    try {
      expect(resolveServerFunction('reg-g')).toBeUndefined()
      expect(resolveServerFunction('only-this')).toMatchObject({ name: 'x' })
    } finally {
      uninstall()
    }
    expect(resolveServerFunction('reg-g')).toBeDefined()
  })

  test('two copies of the runtime share one registry and one request context', async () => {
    // @ts-expect-error a second module instance, as a bundled server and a dev module runner would load
    const copy: typeof import('./registry.js') = await import('./registry.js?second-copy')
    // @ts-expect-error idem
    const context: typeof import('../context/requestContext.js') = await import('../context/requestContext.js?second-copy')
    const { runWithRequest, cookies } = await import('../context/requestContext.js')
    const fn = copy.registerServerReference(async () => 1, 'reg-h', 'h')
    expect((resolveServerFunction('reg-h') as { fn: unknown }).fn).toBe(fn)
    const request = new Request('http://x/', { headers: { cookie: 'a=1' } })
    expect(runWithRequest(request, () => context.cookies().get('a')).result).toEqual({ name: 'a', value: '1' })
    expect(context.runWithRequest(request, () => cookies().get('a')).result).toEqual({ name: 'a', value: '1' })
  })
})
