import { defaultStringifyOperations, stringify, type StringifyOptions } from 'devalue'
import { noInheritedIndex } from './noInheritedIndex.js'
import { NAN, NEGATIVE_INFINITY, NEGATIVE_ZERO, POSITIVE_INFINITY, UNDEFINED } from './devalueFormat.js'

/** devalue's reducers: for a value of its type, the payload that stands for it; falsy to decline. */
export type Reducers = Record<string, (value: unknown) => unknown>

/**
 * What becomes of an object's symbol keys, which no text can carry. `refuse` (devalue's rule, its error
 * "Cannot stringify POJOs with symbolic keys"): for development, where it tells the app what it lost.
 * `drop` (what JSON.stringify, structuredClone and React in production do): the object is written
 * without them, which spares looking for them in every object (Object.getOwnPropertySymbols, ~10 % of
 * writing an answer of many objects).
 */
export type SymbolKeys = 'refuse' | 'drop'

/** devalue, for what the fast walk hands it, told to write objects with symbol keys as if they had none. */
const DROP_SYMBOL_KEYS: StringifyOptions = {
  operations: {
    shapeOf: (value) => {
      const shape = defaultStringifyOperations.shapeOf(value)
      if (shape.kind !== 'symbol-keys') return shape
      return { kind: getPrototypeOf(value) === null ? 'null-proto' : 'plain', keys: ownKeys(value) }
    },
  },
}

/** Thrown inside the fast walk when a value needs devalue's own handling (or its error). */
const DELEGATE = Symbol('delegate to devalue')

// What JSON.stringify leaves raw and devalue escapes: `<` (safe inside a <script>) and the line and
// paragraph separators. They can only occur inside strings, so one pass over the text finds them all
// (three `indexOf`s, which cost less than one RegExp test on the text's usual 50–100 KB).
const hasRaw = (text: string) => text.indexOf('<') !== -1 || text.indexOf('\u2028') !== -1 || text.indexOf('\u2029') !== -1
const RAW_ALL = /[<\u2028\u2029]/g
const ESCAPES: Record<string, string> = { '<': '\\u003C', '\u2028': '\\u2028', '\u2029': '\\u2029' }
const escapeRaw = (char: string) => ESCAPES[char]!
const SMALL_INTEGERS = 1024
const PLAIN_TAG = /^[A-Za-z_$][\w$]*$/
const objectToString = Object.prototype.toString
const { getPrototypeOf, getOwnPropertySymbols, getOwnPropertyNames, keys: ownKeys, hasOwn } = Object

/**
 * The copy of a plain object: on a prototype of its own that holds nothing, so that neither an
 * accessor the app put on Object.prototype (a setter under a key's name would run instead of the key
 * being defined, and the key was lost) nor a `toJSON` there reaches the text, even one added while
 * the value is read (by a getter).
 */
const Copy = function () {} as unknown as new () => Record<string, number>
Copy.prototype = Object.create(null)

/**
 * devalue's `stringify`, byte for byte, at about 60 % of its cost on the data answers carry. The
 * flattened values are gathered as JavaScript values (an object becomes one whose properties are the
 * indices of its values) and written by one native `JSON.stringify`. Plain and null-prototype objects,
 * dense arrays, Map, Set, Date, primitives and the reducers' types are written here; anything else
 * (RegExp, URL, typed arrays, holes, boxed primitives, values devalue refuses) is handed to devalue
 * itself, from the start, so its output and errors are devalue's own: reducers may then be called
 * twice for one value, and must give the same answer both times.
 *
 * Reducers are for other types: they must decline primitives, arrays and objects whose prototype is
 * Object.prototype or null (devalue offers them every value; here they only see the rest). Tests
 * compare the output with devalue's on the codec corpus and on random values (with `drop`, with
 * devalue's of the value without its symbol keys). One difference is left on purpose: a key that a
 * getter of the same object deletes while it is read is not written (devalue lists the keys first and
 * writes that one as undefined). And the prototypes are checked before and after the walk, not at each
 * read: a key or index that one getter puts on Object.prototype or Array.prototype and a later one
 * removes reaches the objects and holes read in between.
 */
export function stringifyDevalue(root: unknown, reducers: Reducers = {}, symbolKeys: SymbolKeys = 'refuse'): string {
  const custom = getOwnPropertyNames(reducers).map((tag) => [tag, reducers[tag]!] as const)
  const options = symbolKeys === 'drop' ? DROP_SYMBOL_KEYS : undefined
  if (!builtinsAsShipped() || custom.some(([tag]) => !PLAIN_TAG.test(tag))) return stringify(root, reducers, options)
  try {
    return writeFlat(root, custom, symbolKeys === 'refuse')
  } catch {
    // DELEGATE, or anything the walk met (a getter that throws, a stack too deep for this walk):
    // devalue, from the start, says what becomes of it.
    return stringify(root, reducers, options)
  }
}

/**
 * What the walk relies on the language to ship: no `toJSON` JSON.stringify would find on the arrays
 * (on Array.prototype or Object.prototype), the `toString` devalue reads an object's type with, and
 * no enumerable key on Object.prototype or Array.prototype: plain objects' keys are read with
 * `for…in`, which would list one, and an index there would fill an array's holes, which are looked for
 * only where an item reads as undefined. Checked again once the walk is done: the value's getters may
 * have changed them. Then also that no index is there, even a non-enumerable one (see noInheritedIndex),
 * which a hole would have read and whose setter would have taken items the walk pushed into its own
 * arrays: checked only once, as its text is all a walk with one there loses (listing Object.prototype's
 * names costs a quarter of a µs, a sixth of writing a small answer).
 */
function builtinsAsShipped(): boolean {
  return (
    !('toJSON' in Array.prototype) &&
    Object.prototype.toString === objectToString &&
    ownKeys(Object.prototype).length === 0 &&
    ownKeys(Array.prototype).length === 0
  )
}

function writeFlat(root: unknown, custom: ReadonlyArray<readonly [string, (value: unknown) => unknown]>, refuseSymbolKeys: boolean): string {
  const flat: unknown[] = []
  const indexes = new Map<unknown, number>()
  // The index of each small integer written. A missing entry reads through to Array.prototype, where a
  // getter of the value may put an index mid-walk: an index found is used only if it holds that integer.
  const smallIntegers: number[] = []

  let trueIndex = -1
  let falseIndex = -1

  function flatten(value: unknown): number {
    const type = typeof value
    if (type === 'boolean') {
      // Two values, two slots: no hashing.
      if (value) return trueIndex >= 0 ? trueIndex : (trueIndex = flat.push(true) - 1)
      return falseIndex >= 0 ? falseIndex : (falseIndex = flat.push(false) - 1)
    }
    if (type === 'undefined') return UNDEFINED
    if (type === 'number') {
      if (value !== value) return NAN
      if (value === Infinity) return POSITIVE_INFINITY
      if (value === -Infinity) return NEGATIVE_INFINITY
      if (value === 0 && 1 / (value as number) < 0) return NEGATIVE_ZERO
    }
    let index: number | undefined
    // Small integers (ids, counts) are looked up in an array: a Map hashes every number.
    const small = type === 'number' && (value as number) >>> 0 === value && (value as number) < SMALL_INTEGERS
    if (small) {
      index = smallIntegers[value as number]
      if (index !== undefined && flat[index] === value) return index
      index = smallIntegers[value as number] = flat.push(value) - 1
      return index
    }
    index = indexes.get(value)
    if (index !== undefined) return index
    index = flat.push(0) - 1
    indexes.set(value, index)
    if (type === 'string' || type === 'number' || value === null) flat[index] = value
    else if (type === 'bigint') flat[index] = ['BigInt', String(value)]
    else if (type === 'object' || type === 'function') flat[index] = entry(value as object)
    else throw DELEGATE // a symbol: devalue's error
    return index
  }

  function entry(value: object): unknown {
    const tag = objectToString.call(value)
    // Arrays and plain objects first: most of what answers hold, and no reducer's business.
    if (tag === '[object Array]') {
      if (isThenable(value)) throw DELEGATE
      // Grown as it goes: a sparse array's length (up to 2^32 - 1) says nothing of its size.
      const array = value as unknown[]
      const length = array.length
      const items: number[] = []
      // A hole reads as undefined, unless the array's prototype is another than Array.prototype (a
      // subclass, another realm's) and has an index: there every index is asked for.
      const anyProto = getPrototypeOf(array) !== Array.prototype
      for (let i = 0; i < length; i++) {
        const item = array[i]
        // Holes (see builtinsAsShipped): devalue chooses between its two encodings.
        if ((item === undefined || anyProto) && !hasOwn(array, i)) throw DELEGATE
        items.push(flatten(item))
      }
      return items
    }
    const proto = getPrototypeOf(value)
    if (tag === '[object Object]' && (proto === Object.prototype || proto === null)) {
      // devalue refuses thenables and enumerable symbol keys (see SymbolKeys), and writes the rest as it writes its own
      if (isThenable(value) || (refuseSymbolKeys && getOwnPropertySymbols(value).length > 0)) throw DELEGATE
      if (proto === null) {
        const keys = ownKeys(value)
        const items: unknown[] = ['null']
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!
          if (key === '__proto__') throw DELEGATE
          items.push(key, flatten((value as Record<string, unknown>)[key]))
        }
        return items
      }
      // Keys keep their order: the copy has the same integer-like keys first, then the rest as inserted.
      // `for…in` lists what Object.keys does here (Object.prototype has no enumerable key: see
      // builtinsAsShipped) without building an array of them, and V8 reads `value[key]` by the
      // object's layout instead of looking the key up (about 5 % of the writer).
      const object = new Copy()
      for (const key in value) {
        if (key === '__proto__') throw DELEGATE
        object[key] = flatten((value as Record<string, unknown>)[key])
      }
      return object
    }
    for (let i = 0; i < custom.length; i++) {
      const payload = custom[i]![1](value)
      if (payload) return [custom[i]![0], flatten(payload)]
    }
    if (typeof value === 'function' || isThenable(value)) throw DELEGATE
    switch (tag) {
      case '[object Map]': {
        const items: unknown[] = ['Map']
        for (const [key, item] of value as Map<unknown, unknown>) items.push(flatten(key), flatten(item))
        return items
      }
      case '[object Set]': {
        const items: unknown[] = ['Set']
        for (const item of value as Set<unknown>) items.push(flatten(item))
        return items
      }
      case '[object Date]': {
        const date = value as Date
        return ['Date', isNaN(date.getDate()) ? '' : date.toISOString()]
      }
    }
    // RegExp, URL, typed arrays, boxed primitives, Temporal, other prototypes (devalue accepts
    // some from other realms) and whatever it refuses: devalue decides.
    throw DELEGATE
  }

  const index = flatten(root)
  if (index < 0) return String(index)
  if (!builtinsAsShipped() || !noInheritedIndex()) throw DELEGATE
  const text = JSON.stringify(flat)
  return hasRaw(text) ? text.replace(RAW_ALL, escapeRaw) : text
}

function isThenable(value: object): boolean {
  return typeof (value as { then?: unknown }).then === 'function'
}
