import { afterEach, describe, expect, test, vi } from 'vitest'
import { openBoundValues, sealBoundValues } from './boundToken.js'

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64')

// Each test starts from a fresh process state: the warning and the process key live on globalThis.
async function freshKeys() {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('use-server.keys')]
  vi.resetModules()
  return import('./keys.js')
}

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

describe('getKeyRing', () => {
  test('reads USE_SERVER_KEY and USE_SERVER_PREVIOUS_KEYS from the environment', async () => {
    vi.stubEnv('USE_SERVER_KEY', key(1))
    vi.stubEnv('USE_SERVER_PREVIOUS_KEYS', `${key(2)},${key(3)}`)
    const { getKeyRing } = await freshKeys()
    const ring = await getKeyRing({}, false)
    expect(ring.all).toHaveLength(3)
    const old = await sealBoundValues(await getKeyRing({ key: key(3) }, false), 'fn', 'old')
    expect(await openBoundValues(ring, 'fn', old)).toBe('old')
  })

  test('lists of keys as operators write them: spaces after commas, a trailing comma, an empty entry', async () => {
    vi.stubEnv('USE_SERVER_KEY', key(1))
    vi.stubEnv('USE_SERVER_NEXT_KEYS', `${key(2)}, ${key(3)}, `)
    vi.stubEnv('USE_SERVER_PREVIOUS_KEYS', ` ,${key(4)},,`)
    const { getKeyRing } = await freshKeys()
    expect((await getKeyRing({}, false)).all).toHaveLength(4)
  })

  test('production without a key warns once, clearly, and still works', async () => {
    vi.stubEnv('USE_SERVER_KEY', '')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { getKeyRing } = await freshKeys()
    const ring = await getKeyRing({}, false)
    await getKeyRing({}, false)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toMatch(/USE_SERVER_KEY is not set.*Set USE_SERVER_KEY to the same secret on every instance/)
    expect(await openBoundValues(ring, 'fn', await sealBoundValues(ring, 'fn', 'x'))).toBe('x')
  })

  test('development uses one random key per process, silently', async () => {
    vi.stubEnv('USE_SERVER_KEY', '')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { getKeyRing } = await freshKeys()
    expect(await getKeyRing({}, true)).toBe(await getKeyRing({}, true))
    expect(warn).not.toHaveBeenCalled()
  })
})
