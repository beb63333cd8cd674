import { encodeBase64 } from './base64.js'
import { HOLE, NAN, NEGATIVE_INFINITY, NEGATIVE_ZERO, POSITIVE_INFINITY, UNDEFINED, VIEW_TAG } from './devalueFormat.js'

/** Turns a value the codec does not know into `[tag, payload]`, or returns undefined to decline. */
export type Reducer = (value: object) => [tag: string, payload: unknown] | undefined

/** A value that cannot cross the wire; `path` says where it sits, e.g. `args[1].user.save`. */
export class UnsupportedValueError extends TypeError {
  override name = 'UnsupportedValueError'
  /** Where the value sits. (Declared only, set below: no field declaration in the shipped code.) */
  declare readonly path: string
  constructor(what: string, path: string) {
    super(`Cannot send ${what} at ${path}: only data (objects, arrays, Date, Map, Set, BigInt, typed arrays, URL), files and server functions travel.`)
    ;(this as { path: string }).path = path
  }
}

/**
 * Writes `root` in devalue's format. A compact writer for the browser (devalue's own `stringify`
 * alone weighs 3 KB gzipped); its output is read on the server by devalue itself, and tests keep
 * the two in agreement on every supported type.
 */
export function writeDevalue(root: unknown, reduce: Reducer, rootName: string): string {
  const entries: string[] = []
  const indexes = new Map<unknown, number>()
  const path: string[] = [rootName]

  const fail = (what: string): never => {
    throw new UnsupportedValueError(what, path.join(''))
  }

  const child = (key: string, value: unknown) => {
    path.push(key)
    const index = flatten(value)
    path.pop()
    return index
  }

  function flatten(value: unknown): number {
    if (value === undefined) return UNDEFINED
    if (typeof value === 'number') {
      if (value !== value) return NAN
      if (value === Infinity) return POSITIVE_INFINITY
      if (value === -Infinity) return NEGATIVE_INFINITY
      if (value === 0 && 1 / value < 0) return NEGATIVE_ZERO
    }
    const known = indexes.get(value)
    if (known !== undefined) return known
    const index = entries.push('') - 1
    indexes.set(value, index)
    entries[index] = encode(value)
    return index
  }

  function encode(value: unknown): string {
    switch (typeof value) {
      case 'string':
      case 'number':
      case 'boolean':
        return JSON.stringify(value)
      case 'bigint':
        return `["BigInt","${value}"]`
      case 'object':
      case 'function':
        break
      default:
        return fail(`a ${typeof value}`)
    }
    if (value === null) return 'null'
    const custom = reduce(value)
    if (custom) return `[${JSON.stringify(custom[0])},${child('', custom[1])}]`
    if (typeof value === 'function') return fail(`a function (${value.name || 'anonymous'}) that is not a server function`)

    const tag = Object.prototype.toString.call(value).slice(8, -1)
    if (Array.isArray(value)) {
      return `[${Array.from({ length: value.length }, (_, i) => (i in value ? child(`[${i}]`, value[i]) : HOLE)).join(',')}]`
    }
    if (value instanceof Date) return `["Date","${isNaN(value.getTime()) ? '' : value.toISOString()}"]`
    if (value instanceof RegExp) return `["RegExp",${JSON.stringify(value.source)},"${value.flags}"]`
    if (value instanceof Set) return `["Set"${[...value].map((v, i) => ',' + child(`[${i}]`, v)).join('')}]`
    if (value instanceof Map) {
      return `["Map"${[...value].map(([k, v], i) => `,${child(`.keys[${i}]`, k)},${child(`.values[${i}]`, v)}`).join('')}]`
    }
    if (tag === 'URL' || tag === 'URLSearchParams') return `["${tag}",${JSON.stringify(String(value))}]`
    if (value instanceof ArrayBuffer) return `["ArrayBuffer","${encodeBase64(value)}"]`
    if (VIEW_TAG.test(tag)) {
      const view = value as ArrayBufferView & { length?: number }
      const whole = view.byteLength === view.buffer.byteLength
      const length = tag === 'DataView' ? view.byteLength : view.length
      return `["${tag}",${child('.buffer', view.buffer)}${whole ? '' : `,${view.byteOffset},${length}`}]`
    }
    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) return fail(`an instance of ${proto?.constructor?.name || 'a class'}`)
    if (Object.getOwnPropertySymbols(value).length > 0) return fail('an object with symbol keys')
    const parts = Object.keys(value).map((key) => {
      if (key === '__proto__') fail('an object with a "__proto__" key')
      const index = child(/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`, (value as Record<string, unknown>)[key])
      return proto === null ? `,${JSON.stringify(key)},${index}` : `${JSON.stringify(key)}:${index}`
    })
    return proto === null ? `["null"${parts.join('')}]` : `{${parts.join(',')}}`
  }

  const rootIndex = flatten(root)
  return rootIndex < 0 ? String(rootIndex) : `[${entries.join(',')}]`
}
