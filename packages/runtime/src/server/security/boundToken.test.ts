import { describe, expect, test } from 'vitest'
import { openBoundValues, sealBoundValues } from './boundToken.js'
import { getKeyRing } from './keys.js'

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64')

describe('bound-value tokens', () => {
  test('open only for the function they were sealed for', async () => {
    const ring = await getKeyRing({ key: key(1) }, false)
    const token = await sealBoundValues(ring, 'fnA', '[["x"],"post-1"]')
    expect(await openBoundValues(ring, 'fnA', token)).toBe('[["x"],"post-1"]')
    expect(await openBoundValues(ring, 'fnB', token)).toBeUndefined()
  })

  test('a flipped, truncated or extended token does not open', async () => {
    const ring = await getKeyRing({ key: key(2) }, false)
    const token = await sealBoundValues(ring, 'fn', '"secret"')
    const flipped = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21)
    for (const bad of [flipped, token.slice(0, -3), token + 'AA', '', '!!!', 'A'.repeat(40)]) {
      expect(await openBoundValues(ring, 'fn', bad)).toBeUndefined()
    }
  })

  test('previous keys still open tokens after a rotation; foreign keys do not', async () => {
    const before = await getKeyRing({ key: key(3) }, false)
    const token = await sealBoundValues(before, 'fn', '1')
    const after = await getKeyRing({ key: key(4), previousKeys: [key(3)] }, false)
    expect(await openBoundValues(after, 'fn', token)).toBe('1')
    const foreign = await getKeyRing({ key: key(5) }, false)
    expect(await openBoundValues(foreign, 'fn', token)).toBeUndefined()
  })

  test('the same values seal to a different token each time (random IV)', async () => {
    const ring = await getKeyRing({ key: key(6) }, false)
    expect(await sealBoundValues(ring, 'fn', '1')).not.toBe(await sealBoundValues(ring, 'fn', '1'))
  })

  test('a key of the wrong size is refused with instructions', async () => {
    await expect(getKeyRing({ key: Buffer.alloc(16).toString('base64') }, false)).rejects.toThrow(/must be 32 bytes.*decodes to 16 bytes.*randomBytes\(32\)/)
    await expect(getKeyRing({ key: '%%%' }, false)).rejects.toThrow(/not valid base64/)
  })
})
