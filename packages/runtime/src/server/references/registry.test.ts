import { describe, expect, test } from 'vitest'
import { bindServerReferenceLazily, installServerFunctionResolver, registerServerReference, resolveServerFunction } from './registry.js'
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

describe('bindServerReferenceLazily', () => {
  test('reads the bound values at each call and each look at $$bound, never when it is made', async () => {
    const join = registerServerReference(async (a: string, b: string, c: string) => [a, b, c].join(' '), 'lazy-a', 'join', 2)
    let reads = 0
    let first = 'one'
    const later = bindServerReferenceLazily(join, () => (reads++, [first, 'two']))
    expect(reads).toBe(0)
    expect(isServerReference(later)).toBe(true)
    expect(later.$$id).toBe('lazy-a')
    first = 'uno'
    expect(await later('three')).toBe('uno two three')
    expect(later.$$bound).toEqual(['uno', 'two'])
    expect(reads).toBe(2)
  })

  test('a captured variable still uninitialized rejects the call, as the original async function would', async () => {
    const echo = registerServerReference(async (value: number) => value, 'lazy-b', 'echo', 1)
    const make = () => {
      const reference = bindServerReferenceLazily(echo, () => [value])
      const early = reference().then(
        () => 'no error',
        (error: Error) => error.name,
      )
      const value = 7
      return { early, reference }
    }
    const { early, reference } = make()
    expect(await early).toBe('ReferenceError')
    expect(await reference()).toBe(7)
  })

  test('an async generator reads its values on the first next(), as the generator body would', async () => {
    const count = registerServerReference(async function* (from: number, to: number) {
      for (let i = from; i <= to; i++) yield i
    }, 'lazy-e', 'count', 1)
    let from = 1
    const iterator = bindServerReferenceLazily(count, () => [from])(3) as AsyncGenerator<number>
    from = 2
    const seen = []
    for await (const value of iterator) seen.push(value)
    expect(seen).toEqual([2, 3])
  })

  test('.bind() on it stays lazy, appending its values after the read ones', async () => {
    const list = registerServerReference(async (...values: number[]) => values, 'lazy-c', 'list', 1)
    let captured = 1
    const bound = bindServerReferenceLazily(list, () => [captured]).bind(null, 2)
    captured = 10
    expect(bound.$$bound).toEqual([10, 2])
    expect(await bound(3)).toEqual([10, 2, 3])
  })

  test('`into` makes an existing function the reference (a declaration hoisted in a switch forwards its own calls)', async () => {
    const double = registerServerReference(async (factor: number, x: number) => factor * x, 'lazy-d', 'double', 1)
    let factor = 2
    function forward(x: number) {
      return double(factor, x)
    }
    const reference = bindServerReferenceLazily(double, () => [factor], forward)
    expect(reference).toBe(forward)
    factor = 3
    expect(reference.$$bound).toEqual([3])
    expect(await forward(5)).toBe(15)
  })
})
