import { createServerFunctionId } from '@use-server/transform'
import { describe, expect, test } from 'vitest'
import { idsFoundIn } from './clientReferences.js'

describe('idsFoundIn', () => {
  const ids = Array.from({ length: 50 }, (_, i) => createServerFunctionId(`src/a${i}.ts`, `f${i}`))

  test('finds what includes() finds: quoted, inside longer runs, at the edges, overlapping', () => {
    const [a, b, c, d, e] = ids as [string, string, string, string, string]
    const code = `${a}x\`${b}\`,"${c.slice(0, 8)}"+"${c.slice(8)}";data:${'Q'.repeat(40)}${d}${e.slice(0, 10)}${e}`
    expect(idsFoundIn(code, ids)).toEqual(new Set(ids.filter((id) => code.includes(id))))
    expect(idsFoundIn(code, ids)).toEqual(new Set([a, b, d, e]))
  })

  test('agrees with includes() on random text made of id pieces', () => {
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff)
    for (let round = 0; round < 300; round++) {
      let code = ''
      while (code.length < 400) {
        const id = ids[Math.floor(random() * ids.length)]!
        const from = Math.floor(random() * 16)
        code += random() < 0.3 ? id : random() < 0.5 ? id.slice(from) : random() < 0.5 ? '`,"(' : 'abc-_9'
      }
      expect(idsFoundIn(code, ids)).toEqual(new Set(ids.filter((id) => code.includes(id))))
    }
  })
})
