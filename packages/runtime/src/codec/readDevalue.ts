import { decodeBase64 } from './base64.js'
import { HOLE, SENTINEL_VALUES, SPARSE } from './devalueFormat.js'

export type Revivers = Record<string, (payload: any) => unknown>

/**
 * Reads devalue's format in the browser: the counterpart of `writeDevalue`, for what the server
 * sends (written there by devalue's `stringify`). The server is trusted, but malformed input
 * still throws instead of producing odd values.
 */
export function readDevalue(text: string, revivers: Revivers): unknown {
  const values = JSON.parse(text) as unknown
  if (typeof values === 'number') return hydrateSentinel(values)
  if (!Array.isArray(values) || values.length === 0) throw new SyntaxError('Invalid devalue payload')
  const hydrated = new Map<number, unknown>()

  function hydrateSentinel(index: number): unknown {
    if (index in SENTINEL_VALUES) return SENTINEL_VALUES[index]
    throw new SyntaxError(`Invalid devalue index ${index}`)
  }

  function hydrate(index: number): unknown {
    if (index < 0 || !(index < (values as unknown[]).length)) return hydrateSentinel(index)
    if (hydrated.has(index)) return hydrated.get(index)
    const value = (values as unknown[])[index]
    if (!value || typeof value !== 'object') {
      hydrated.set(index, value)
      return value
    }
    if (!Array.isArray(value)) {
      const object: Record<string, unknown> = {}
      hydrated.set(index, object)
      for (const key of Object.keys(value)) {
        if (key !== '__proto__') object[key] = hydrate((value as Record<string, number>)[key]!)
      }
      return object
    }
    if (typeof value[0] !== 'string') {
      const array: unknown[] = []
      hydrated.set(index, array)
      if (value[0] === SPARSE) {
        array.length = value[1]
        for (let i = 2; i < value.length; i += 2) array[value[i]] = hydrate(value[i + 1])
      } else {
        array.length = value.length
        value.forEach((n: number, i: number) => {
          if (n !== HOLE) array[i] = hydrate(n)
        })
      }
      return array
    }
    const [tag, a, b, c] = value as [string, any, any, any]
    const reviver = revivers[tag]
    if (reviver) {
      const revived = reviver(typeof a === 'number' ? hydrate(a) : a)
      hydrated.set(index, revived)
      return revived
    }
    let result: unknown
    switch (tag) {
      case 'Date':
        result = new Date(a)
        break
      case 'RegExp':
        result = new RegExp(a, b)
        break
      case 'BigInt':
        result = BigInt(a)
        break
      case 'URL':
        result = new URL(a)
        break
      case 'URLSearchParams':
        result = new URLSearchParams(a)
        break
      case 'ArrayBuffer':
        result = decodeBase64(a)
        break
      case 'Object':
        result = Object(hydrate(a))
        break
      case 'Set': {
        const set = new Set()
        hydrated.set(index, set)
        for (let i = 1; i < value.length; i++) set.add(hydrate(value[i]))
        return set
      }
      case 'Map': {
        const map = new Map()
        hydrated.set(index, map)
        for (let i = 1; i < value.length; i += 2) map.set(hydrate(value[i]), hydrate(value[i + 1]))
        return map
      }
      case 'null': {
        const object = Object.create(null)
        hydrated.set(index, object)
        for (let i = 1; i < value.length; i += 2) object[value[i]] = hydrate(value[i + 1])
        return object
      }
      default: {
        const View = (globalThis as Record<string, any>)[tag]
        if (!/Array$|^DataView$/.test(tag) || typeof View !== 'function') throw new SyntaxError(`Unknown type ${tag}`)
        result = b === undefined ? new View(hydrate(a)) : new View(hydrate(a), b, c)
      }
    }
    hydrated.set(index, result)
    return result
  }

  return hydrate(0)
}
