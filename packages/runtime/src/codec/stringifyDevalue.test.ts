import { DevalueError, parse, stringify } from 'devalue'
import fc from 'fast-check'
import { runInNewContext } from 'node:vm'
import { describe, expect, test, vi } from 'vitest'
import { anyValue, corpus } from './codecCorpus.test-support.js'
import { stringifyDevalue, type Reducers } from './stringifyDevalue.js'

/** The writer's text (or error), checked against devalue's own for the same value and reducers. */
function same(value: unknown, reducers?: Reducers): string {
  const outcome = (write: (value: unknown, reducers?: Reducers) => string) => {
    try {
      return { text: write(value, reducers) }
    } catch (error) {
      return { error: `${(error as Error).name}: ${(error as Error).message} at ${(error as DevalueError).path}` }
    }
  }
  const ours = outcome(stringifyDevalue)
  expect(ours).toEqual(outcome(stringify))
  return ours.text!
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
const pointReducers: Reducers = { Point: (v) => v instanceof Point && [v.x, v.y] }

describe('stringifyDevalue writes what devalue writes, byte for byte', () => {
  test.each(corpus())('%s', (_, value) => {
    same(value)
    same({ value, again: value, list: [value, { value }] }) // and as a repeated, nested value
  })

  test('arbitrary data', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        same(value)
      }),
      { numRuns: Number(process.env.CODEC_RUNS ?? 1000) },
    )
  })

  test('arbitrary data with custom types among it', () => {
    const withPoints = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, anyValue, fc.tuple(fc.integer(), fc.integer()).map(([x, y]) => new Point(x, y)), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 })),
    })).value
    fc.assert(
      fc.property(withPoints, (value) => {
        same(value, pointReducers)
      }),
      { numRuns: Number(process.env.CODEC_RUNS ?? 500) },
    )
  })

  test('the answers servers send: records, dates, maps, repeated strings and numbers', () => {
    const owner = { id: 1, name: 'Ada' }
    const records = Array.from({ length: 50 }, (_, i) => ({ id: i, title: `Record ${i % 7}`, done: i % 3 === 0, score: i * 1.5, at: new Date(i * 1e9), owner, tags: new Set(['a', `t${i % 4}`]) }))
    same({ value: records, index: new Map(records.map((r) => [r.id, r])) })
  })

  test('strings and keys that devalue escapes, and some it leaves alone', () => {
    const texts = ['</script><script>alert(1)</script>', '\u2028\u2029', 'quote " backslash \\ tab \t nul \0', '\ud800 lone', 'emoji 🙂', 'ünïcödé', '']
    for (const text of texts) same({ [text]: text, list: [text] })
  })

  test('hostile text among many booleans and the strings "true" and "false", in values, keys, Maps and Sets', () => {
    // The writer's own slots for true and false, and its indexOf search for what to escape, against devalue.
    const piece = fc.constantFrom('<', '</script', '</SCRIPT>', '<!--', '\u2028', '\u2029', '\ud800', '\udfff', '\ud83d\ude00', '"', '\\', '\0', '\u001f', 'true', 'false', 'a', 'é')
    const text = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(''))
    const leaf = fc.oneof(text, fc.boolean(), fc.constantFrom('true', 'false', 'True', 1, 0, null, undefined))
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('node'), { maxLength: 5 }),
        fc.dictionary(text, tie('node'), { maxKeys: 4 }),
        fc.array(fc.tuple(fc.oneof(leaf, tie('node')), tie('node')), { maxLength: 3 }).map((entries) => new Map(entries)),
        fc.array(tie('node'), { maxLength: 3 }).map((items) => new Set(items)),
      ),
    })).node
    fc.assert(
      fc.property(value, (v) => {
        same(v)
        same([true, 'true', v, false, 'false', { true: v, false: false }])
      }),
      { numRuns: Number(process.env.CODEC_RUNS ?? 1000) },
    )
    same(Array.from({ length: 1000 }, (_, i) => [true, 'true', false, 'false', '<\u2028\u2029\ud800'][i % 5]))
    same(new Map<unknown, unknown>([[true, 'true'], ['true', true], [false, 'false'], ['false', false]]))
    same(new Set([false, 'false', true, 'true']))
    same(['x'.repeat(100_000) + '\u2029', true])
  })

  test('keys in the order objects give them: integer-like first, then as inserted', () => {
    same({ b: 1, 2: 'two', a: 3, 1: 'one', '-1': 4, '01': 5, 4294967295: 6, 4294967294: 7 })
    same(Object.assign(Object.create(null), { z: 1, 0: 2, constructor: 3, toJSON: 4, hasOwnProperty: 5 }))
  })

  test('values devalue writes its own way go to devalue: typed arrays, holes, boxed values, URL, RegExp', () => {
    const sparse: unknown[] = []
    sparse[1_000_000] = 1
    // eslint-disable-next-line no-new-wrappers
    for (const value of [new Uint8Array([1, 2]), Buffer.from('pooled'), [1, , 3], sparse, new String('boxed'), Object(1n), new URL('https://a.test/<'), /x</g, new ArrayBuffer(4), new DataView(new ArrayBuffer(2))]) {
      same({ value, again: value })
    }
  })

  test('what devalue refuses it refuses the same way, with the same path', () => {
    const cases: unknown[] = [
      { a: [1, { f() {} }] },
      { s: Symbol('x') },
      { then: () => 1 },
      [new (class Order {})()],
      { [Symbol('k')]: 1 },
      JSON.parse('{"__proto__": 1}'),
      new Map([['k', Promise.resolve()]]),
    ]
    for (const value of cases) {
      let theirs: unknown
      try {
        stringify(value)
      } catch (error) {
        theirs = error
      }
      expect(theirs).toBeInstanceOf(DevalueError)
      expect(() => stringifyDevalue(value)).toThrow(DevalueError)
      try {
        stringifyDevalue(value)
      } catch (error) {
        expect((error as DevalueError).message).toBe((theirs as DevalueError).message)
        expect((error as DevalueError).path).toBe((theirs as DevalueError).path)
      }
    }
  })

  test('a key a getter deletes while its object is read is not written (devalue writes it as undefined)', () => {
    const deleting = () => ({ get a() { delete (this as { b?: number }).b; return 1 }, b: 2, c: 3 }) // eslint-disable-line
    expect(stringifyDevalue(deleting())).toBe('[{"a":1,"c":2},1,3]')
    expect(parse(stringifyDevalue(deleting()))).toEqual({ a: 1, c: 3 })
    expect(stringify(deleting())).toBe('[{"a":1,"b":-1,"c":2},1,3]')
  })

  test('a non-enumerable symbol key, a getter and an array subclass are read as devalue reads them', () => {
    const hidden = {}
    Object.defineProperty(hidden, Symbol('hidden'), { value: 1, enumerable: false })
    same({ hidden })
    const counted = () => {
      let reads = 0
      return { get reads() { return ++reads } } // eslint-disable-line
    }
    expect(stringifyDevalue(counted())).toBe(stringify(counted()))
    class List extends Array {}
    same({ list: List.from([1, 2]) })
  })

  test('reducers see objects and functions; one that declines gives way to the rest', () => {
    const reducer = vi.fn((v: unknown) => v instanceof Point && [v.x, v.y])
    const fn = Object.assign(() => {}, { tag: 'fn' })
    const value = { p: new Point(1, 2), again: new Point(1, 2), fn, list: [fn, 'text', 1] }
    const reducers: Reducers = { Point: reducer, Fn: (v) => typeof v === 'function' && (v as { tag?: string }).tag }
    const text = stringifyDevalue(value, reducers)
    expect(reducer.mock.calls.every(([v]) => typeof v === 'object' || typeof v === 'function')).toBe(true)
    expect(text).toBe(stringify(value, reducers))
    expect(parse(text, { Point: ([x, y]: number[]) => new Point(x!, y!), Fn: (tag: string) => tag })).toEqual({ p: new Point(1, 2), again: new Point(1, 2), fn: 'fn', list: ['fn', 'text', 1] })
  })

  test('a root that devalue writes as a bare index', () => {
    for (const value of [undefined, NaN, Infinity, -Infinity, -0]) same(value)
  })

  test('a polluted Array.prototype.toJSON cannot change the text (devalue writes it then)', () => {
    Object.defineProperty(Array.prototype, 'toJSON', { value: () => 'changed', configurable: true })
    try {
      same({ list: [1, 2] })
    } finally {
      delete (Array.prototype as { toJSON?: unknown }).toJSON
    }
  })
})

/** A copy of `value` without the symbol keys of its plain objects, sharing and cycles kept. */
function withoutSymbolKeys(value: unknown, copies = new Map<unknown, unknown>()): unknown {
  if (value === null || typeof value !== 'object') return value
  if (copies.has(value)) return copies.get(value)
  const proto = Object.getPrototypeOf(value)
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length)
    copies.set(value, copy)
    for (const key of Object.keys(value)) copy[Number(key)] = withoutSymbolKeys(value[Number(key)], copies)
    return copy
  }
  if (value instanceof Map) {
    const copy = new Map()
    copies.set(value, copy)
    for (const [k, v] of value) copy.set(withoutSymbolKeys(k, copies), withoutSymbolKeys(v, copies))
    return copy
  }
  if (value instanceof Set) {
    const copy = new Set()
    copies.set(value, copy)
    for (const item of value) copy.add(withoutSymbolKeys(item, copies))
    return copy
  }
  if (proto !== Object.prototype && proto !== null) return value
  const copy: Record<string, unknown> = Object.create(proto)
  copies.set(value, copy)
  for (const key of Object.keys(value)) copy[key] = withoutSymbolKeys((value as Record<string, unknown>)[key], copies)
  return copy
}

describe("symbolKeys 'drop': objects written without their symbol keys, the rest as devalue writes it", () => {
  const symbols = [Symbol('a'), Symbol.for('b'), Symbol.toStringTag, Symbol.iterator]
  /** Adds a symbol key (enumerable or not) to some of the plain objects of a value. */
  const sprinkle = (value: unknown, seed: number, seen = new Set<unknown>()): unknown => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return value
    seen.add(value)
    const proto = Object.getPrototypeOf(value)
    if ((proto === Object.prototype || proto === null) && !Array.isArray(value) && seed % 3 !== 0) {
      Object.defineProperty(value, symbols[seed % symbols.length]!, { value: { hidden: seed }, enumerable: seed % 2 === 0, configurable: true })
    }
    const children = value instanceof Map ? [...value.values()] : value instanceof Set ? [...value] : Array.isArray(value) || proto === Object.prototype || proto === null ? Object.values(value) : []
    children.forEach((child, i) => sprinkle(child, seed + i + 1, seen))
    return value
  }

  test.each(corpus())('%s, with symbol keys added', (_, value) => {
    const sprinkled = sprinkle({ value, again: value, list: [value, { value }] }, 1)
    expect(stringifyDevalue(sprinkled, {}, 'drop')).toBe(stringify(withoutSymbolKeys(sprinkled)))
  })

  test('arbitrary data, with symbol keys added', () => {
    fc.assert(
      fc.property(anyValue, fc.nat(), (value, seed) => {
        const sprinkled = sprinkle(value, seed)
        expect(stringifyDevalue(sprinkled, {}, 'drop')).toBe(stringify(withoutSymbolKeys(sprinkled)))
        expect(stringifyDevalue(sprinkled, pointReducers, 'drop')).toBe(stringify(withoutSymbolKeys(sprinkled), pointReducers))
      }),
      { numRuns: Number(process.env.CODEC_RUNS ?? 1000) },
    )
  })

  test('what devalue refuses for another reason it still refuses, with the same message and path', () => {
    for (const value of [{ [Symbol('k')]: 1, a: [{ f() {} }] }, { [Symbol('k')]: 1, then: () => 1 }, { s: Symbol('x') }]) {
      expect(() => stringifyDevalue(value, {}, 'drop')).toThrow(DevalueError)
      const message = (write: () => unknown) => {
        try {
          write()
        } catch (error) {
          return `${(error as Error).message} at ${(error as DevalueError).path}`
        }
      }
      expect(message(() => stringifyDevalue(value, {}, 'drop'))).toBe(message(() => stringify(withoutSymbolKeys(value))))
    }
  })
})

// The copies the writer makes are assigned key by key and written by JSON.stringify: what the app's
// own code does to the built-in prototypes, before or during the walk, must not reach the text.
describe('prototypes changed by the app, before or while the value is written', () => {
  test('an accessor in place of an Object.prototype method (same names, so not counted) cannot drop a key', () => {
    const original = Object.getOwnPropertyDescriptor(Object.prototype, 'hasOwnProperty')!
    Object.defineProperty(Object.prototype, 'hasOwnProperty', { get: () => original.value, set: () => {}, configurable: true })
    try {
      expect(same({ hasOwnProperty: 1, valueOf: 2, a: 3 })).toBe('[{"hasOwnProperty":1,"valueOf":2,"a":3},1,2,3]')
    } finally {
      Object.defineProperty(Object.prototype, 'hasOwnProperty', original)
    }
  })

  /** `{ a, [later]: … }` whose getter `a` sets `Object.prototype[key]`; the key is removed once `check` ran. */
  const pollutingWhileRead = (key: string, added: unknown, later: string, check: (value: object) => void) => {
    const value = {
      get a() {
        ;(Object.prototype as Record<string, unknown>)[key] = added
        return 1
      },
      [later]: { c: 2 },
    }
    try {
      check(value)
    } finally {
      delete (Object.prototype as Record<string, unknown>)[key]
    }
  }

  test('a getter that adds Object.prototype.toJSON, or a setter for a later key, while it is read', () => {
    pollutingWhileRead('toJSON', () => 'replaced', 'b', (value) => expect(stringifyDevalue(value)).toBe('[{"a":1,"b":2},1,{"c":3},2]'))
    const settering = () => ({
      get a() {
        Object.defineProperty(Object.prototype, 'b', { set: () => {}, configurable: true })
        return 1
      },
      b: 2,
    })
    try {
      expect(stringifyDevalue(settering())).toBe('[{"a":1,"b":2},1,2]')
    } finally {
      delete (Object.prototype as { b?: unknown }).b
    }
  })

  test('an enumerable key on Object.prototype, there before the walk or added by a getter during it, is not written', () => {
    // Plain objects' keys are read with for…in, which would list an inherited enumerable key.
    ;(Object.prototype as { polluted?: unknown }).polluted = 'inherited'
    try {
      expect(same({ a: 1, list: [{ b: 2 }] })).toBe('[{"a":1,"list":2},1,[3],{"b":4},2]')
    } finally {
      delete (Object.prototype as { polluted?: unknown }).polluted
    }
    pollutingWhileRead('polluted', 'inherited', 'later', (value) => expect(stringifyDevalue(value)).toBe('[{"a":1,"later":2},1,{"c":3},2]'))
  })

  test('holes, undefined items and indices inherited from Array.prototype are read as devalue reads them', () => {
    same([undefined, , undefined, 1, , ]) // eslint-disable-line no-sparse-arrays
    same({ list: [undefined], again: [, undefined] }) // eslint-disable-line no-sparse-arrays
    for (const proto of [Array.prototype, Object.prototype] as unknown as Array<Record<number, unknown>>) {
      proto[1] = 'inherited'
      try {
        same([0, , 2]) // eslint-disable-line no-sparse-arrays
        same([undefined, undefined, undefined])
      } finally {
        delete proto[1]
      }
    }
  })

  test('an index on a prototype, non-enumerable (so not counted) or only the array\'s own, is read as devalue reads it', () => {
    // A hole reads through to the prototype: devalue asks whether the array owns the index, so must the
    // writer. Both texts are compared once the prototype is restored (an index there confuses expect too).
    const texts = (proto: object, index: string, descriptor: PropertyDescriptor, values: unknown[]) => {
      Object.defineProperty(proto, index, { configurable: true, ...descriptor })
      try {
        return values.map((value) => [stringifyDevalue(value), stringify(value)])
      } finally {
        delete (proto as Record<string, unknown>)[index]
      }
    }
    for (const proto of [Array.prototype, Object.prototype]) {
      for (const descriptor of [{ value: 'inherited', writable: true }, { value: undefined, writable: true }, { get: () => 'got', set() {} }]) {
        // eslint-disable-next-line no-sparse-arrays
        for (const [ours, theirs] of texts(proto, '1', descriptor, [[0, , 2], { one: 1, list: [1, 1] }])) expect(ours).toBe(theirs)
      }
      // A setter there would take the items the writer pushes into its own arrays.
      for (const [ours, theirs] of texts(proto, '0', { get: () => 'got', set: () => {} }, [{ list: [[1, 2]], more: [3] }])) expect(ours).toBe(theirs)
    }
    class List extends Array {
      get 1() {
        return 'subclass'
      }
    }
    same(Object.assign(new List(3), { 0: 0, 2: 2 }))
    same(Object.setPrototypeOf([0, , 2], Object.assign(Object.create(Array.prototype), { 1: 'own prototype' }))) // eslint-disable-line no-sparse-arrays
    same(runInNewContext('Array.prototype[1] = "other realm"; [0, , 2]'))
  })

  test('an index a getter puts on Array.prototype and a later one removes cannot change which value a number is', () => {
    // The check after the walk no longer sees it: the writer's own tables must not read through to it.
    const proto = Array.prototype as unknown as Record<number, unknown>
    const value = () => ({
      get a() {
        proto[1] = 'polluted'
        return 1
      },
      list: [0, 1, 2, 1],
      get z() {
        delete proto[1]
        return 1
      },
    })
    try {
      expect(stringifyDevalue(value())).toBe(stringify(value()))
    } finally {
      delete proto[1]
    }
  })

  test('a Date whose toISOString gives markup is escaped (devalue writes that text raw)', () => {
    const date = Object.assign(new Date(0), { toISOString: () => '"</script><script>alert(1)</script>' })
    const text = stringifyDevalue({ date })
    expect(text).not.toContain('</script')
    expect(parse(text).date).toEqual(new Date(NaN)) // what devalue's parse makes of such a text
    expect(JSON.parse(text)[1]).toEqual(['Date', '"</script><script>alert(1)</script>'])
  })

  test("a Proxy whose ownKeys trap reorders keys reads back the same (the text lists integer keys first, as JSON does)", () => {
    const proxy = () => new Proxy({ b: 1, 1: 2 }, { ownKeys: () => ['b', '1'] })
    expect(parse(stringifyDevalue(proxy()))).toEqual(parse(stringify(proxy())))
  })
})
