import { parse } from 'devalue'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { anyValue, corpus } from './codecCorpus.test-support.js'
import { UnsupportedValueError, writeDevalue } from './writeDevalue.js'

const noCustomTypes = () => undefined

describe('writeDevalue', () => {
  test.each(corpus())('devalue reads back %s', (_, value) => {
    expect(parse(writeDevalue(value, noCustomTypes, 'value'))).toStrictEqual(value)
  })

  test('devalue reads back arbitrary data', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(parse(writeDevalue(value, noCustomTypes, 'value'))).toStrictEqual(value)
      }),
      { numRuns: Number(process.env.CODEC_RUNS ?? 500) },
    )
  })

  test('custom types go through the reducer and come back through a reviver', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const text = writeDevalue({ at: new Point(1, 2) }, (v) => (v instanceof Point ? ['Point', [v.x, v.y]] : undefined), 'args')
    expect(parse(text, { Point: ([x, y]: number[]) => new Point(x!, y!) })).toEqual({ at: new Point(1, 2) })
  })

  test.each([
    ['a function', [1, { user: { save() {} } }], 'args[1].user.save', /a function \(save\)/],
    ['a class instance', [new (class Order {})()], 'args[0]', /an instance of Order/],
    ['a symbol', [{ s: Symbol('x') }], 'args[0].s', /a symbol/],
    ['symbol keys', [{ [Symbol('k')]: 1 }], 'args[0]', /symbol keys/],
    ['a map value', [new Map([['k', () => 1]])], 'args[0].values[0]', /a function/],
    ['an odd key', [{ 'a-b': [() => 1] }], 'args[0]["a-b"][0]', /a function/],
  ])('refuses %s, naming where it is', (_, args, path, what) => {
    let error: unknown
    try {
      writeDevalue(args, noCustomTypes, 'args')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(UnsupportedValueError)
    expect((error as UnsupportedValueError).path).toBe(path)
    expect((error as Error).message).toMatch(what)
    expect((error as Error).message).toContain(path)
  })
})
