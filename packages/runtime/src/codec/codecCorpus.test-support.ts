import fc from 'fast-check'

/** Values every codec direction must carry unchanged: each supported type, alone and combined. */
export function corpus(): Array<[string, unknown]> {
  const cyclic: Record<string, unknown> = { name: 'root' }
  cyclic.self = cyclic
  const shared = { shared: true }
  const sparse: unknown[] = []
  sparse[5] = 'five'
  sparse[100_000] = 'far'
  const buffer = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer
  const nullProto = Object.assign(Object.create(null), { a: 1 })
  return [
    ['string', 'hello "world" </script> \u2028'],
    ['empty string', ''],
    ['number', 42.5],
    ['booleans', [true, false]],
    ['null', null],
    ['undefined', undefined],
    ['NaN', NaN],
    ['Infinity', [Infinity, -Infinity]],
    ['negative zero', -0],
    ['bigint', [123456789012345678901234567890n, -5n, 0n]],
    ['date', new Date('2026-11-24T10:00:00.000Z')],
    ['invalid date', new Date(NaN)],
    ['regexp', /a+b?\/c/gimsuy],
    ['map', new Map<unknown, unknown>([['a', 1], [2, { b: 3 }], [{ key: 'object' }, [4]]])],
    ['set', new Set([1, 'two', { three: 3 }])],
    ['url', new URL('https://example.com/a?b=c#d')],
    ['url search params', new URLSearchParams('a=1&b=2&a=3')],
    ['array buffer', buffer],
    ['typed arrays', [new Uint8Array([1, 2, 255]), new Int16Array([-1, 300]), new Float64Array([1.5, -2.25]), new BigInt64Array([1n, -2n])]],
    ['typed subarray', new Uint8Array(buffer, 2, 3)],
    ['data view', new DataView(buffer, 1, 4)],
    ['holes', [1, , 3]], // eslint-disable-line no-sparse-arrays
    ['sparse array', sparse],
    ['null prototype object', nullProto],
    ['nested', { user: { profile: { name: 'Ada', tags: ['x', 'y'] } }, list: [[[[1]]]] }],
    ['repeated references', { a: shared, b: shared, list: [shared] }],
    ['cyclic', cyclic],
    ['unicode keys', { 'ünïcødé': 1, 'with space': 2, '': 3, 'constructor': 4, 'prototype': 5 }],
  ]
}

/** Arbitrary data of every type the codec supports, for property tests. `__proto__` keys are refused by design. */
export const anyValue = fc.anything({
  key: fc.string().filter((key) => key !== '__proto__'),
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withObjectString: false,
  withBoxedValues: false,
  maxDepth: 4,
})
