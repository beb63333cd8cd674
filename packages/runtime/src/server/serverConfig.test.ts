import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { handleServerFunction } from './handleServerFunction.js'
import { registerServerReference } from './references/registry.js'
import type { ServerReference } from './references/serverReference.js'
import { openBoundValues } from './security/boundToken.js'
import { checkServerKeys, getKeyRing } from './security/keys.js'
import { setDevelopmentProcess } from './developmentMode.js'
import { configureServer, getServerConfig, isDevelopment } from './serverConfig.js'
import { clientDataScript } from '../ssr/clientDataScript.js'

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64')

beforeEach(() => {
  // The process key and the once-only warning live on globalThis: each test starts without them.
  const keys = (globalThis as Record<symbol, { rings: Map<string, unknown>; processKey?: string; warned: boolean }>)[Symbol.for('use-server.keys')]!
  keys.rings.clear()
  keys.warned = false
  delete keys.processKey
  vi.stubEnv('USE_SERVER_KEY', '')
  vi.stubEnv('USE_SERVER_PREVIOUS_KEYS', '')
})
afterEach(() => {
  configureServer({})
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

const opensWith = async (fill: number, id: string, token: string) => (await openBoundValues(await getKeyRing({ key: key(fill) }, false), id, token)) !== undefined

describe('configureServer', () => {
  test('its key wins over USE_SERVER_KEY, and a handler’s own key wins over it', async () => {
    vi.stubEnv('USE_SERVER_KEY', key(1))
    configureServer({ key: key(2), previousKeys: [key(3)] })
    const ring = await getKeyRing({}, false)
    expect(ring.all).toHaveLength(2)
    expect(ring.current).toBe((await getKeyRing({ key: key(2), previousKeys: [key(3)] }, false)).current)
    expect((await getKeyRing({ key: key(4) }, false)).all).toHaveLength(2) // the handler's key, the configured previous one
    expect((await getKeyRing({ key: key(4), previousKeys: [] }, false)).all).toHaveLength(1)
  })

  test('tokens sealed while a page renders use the configured key (a Worker has no process.env)', async () => {
    configureServer({ key: key(5) })
    const save = registerServerReference(async (id: number, data: string) => `${id}:${data}`, 'config-render', 'save') as unknown as ServerReference
    const bound = save.bind(null, 42)
    const script = await clientDataScript({ props: { save: bound } })
    const token = /"([A-Za-z0-9_-]{40,})"/.exec(JSON.parse(script.slice(script.indexOf('=') + 1, -1)) as string)?.[1]
    expect(token).toBeDefined()
    expect(await opensWith(5, 'config-render', token!)).toBe(true)
    expect(await opensWith(1, 'config-render', token!)).toBe(false)

    // A form action rendered without JavaScript: the first render suspends while the token is sealed.
    const fields = () => bound.$$FORM_ACTION!('p')
    await expect(Promise.resolve().then(fields)).rejects.toBeInstanceOf(Promise)
    await (() => {
      try {
        fields()
      } catch (pending) {
        return pending as Promise<unknown>
      }
    })()
    const formToken = fields().data!.get('$ACTION_p:token') as string
    expect(await opensWith(5, 'config-render', formToken)).toBe(true)
  })

  test('dev decides what an unexpected error tells the caller, read on every call', async () => {
    registerServerReference(async () => {
      throw new Error('secret detail')
    }, 'config-crash', 'crash')
    const options = { onError: () => {} }
    const call = async () => {
      const response = await handleServerFunction(new Request('http://localhost/_server/config-crash', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[[]]' }), options)
      return response.text()
    }
    configureServer({ dev: true })
    expect(await call()).toContain('secret detail')
    configureServer({ dev: false })
    expect(await call()).not.toContain('secret detail')
    vi.stubEnv('NODE_ENV', 'development') // never read: a Worker has no NODE_ENV to forget
    configureServer({})
    expect(await call()).not.toContain('secret detail')
  })

  test('isDevelopment: the handler’s option, else the configured one, else whether the Vite dev server runs here', () => {
    configureServer({ dev: true })
    expect([isDevelopment(false), isDevelopment(true), isDevelopment()]).toEqual([false, true, true])
    configureServer({})
    expect(isDevelopment()).toBe(false)
    setDevelopmentProcess(true)
    try {
      expect(isDevelopment()).toBe(true)
      configureServer({ dev: false })
      expect(isDevelopment()).toBe(false) // configured production wins over the dev server's mark
    } finally {
      setDevelopmentProcess(false)
    }
  })

  test('an environment the runtime may not read (Deno without --allow-env) counts as unset', async () => {
    const env = process.env
    const refusing = new Proxy({} as NodeJS.ProcessEnv, {
      get: () => {
        throw new Error('NotCapable: Requires env access')
      },
    })
    Object.defineProperty(process, 'env', { value: refusing, configurable: true, writable: true })
    try {
      expect(isDevelopment()).toBe(false)
      configureServer({ key: key(8) })
      expect((await getKeyRing({}, false)).all).toHaveLength(1)
      configureServer({})
      expect((await getKeyRing({}, true)).all).toHaveLength(1) // no key anywhere: the process key
    } finally {
      Object.defineProperty(process, 'env', { value: env, configurable: true, writable: true })
    }
  })

  test('refuses malformed settings at once, saying which and how to fix them', () => {
    expect(() => configureServer({ key: 'not base64!' })).toThrow(/configureServer\(\{ key \}\) is not valid base64\. Generate a key with node -e/)
    expect(() => configureServer({ key: key(1).slice(0, 20) })).toThrow(/must be 32 bytes encoded in base64, but it decodes to 15 bytes/)
    expect(() => configureServer({ key: 42 as never })).toThrow(/must be a string/)
    expect(() => configureServer({ previousKeys: key(1) as never })).toThrow(/previousKeys \}\) must be an array/)
    expect(() => configureServer({ previousKeys: [key(1), 'short'] })).toThrow(/previousKeys\[1\]/)
    expect(() => configureServer({ dev: 'false' as never })).toThrow(/dev \}\) must be true or false, not "false"/)
    expect(() => configureServer(null as never)).toThrow(/takes an object/)
    expect(getServerConfig()).toEqual({}) // nothing was half-applied
  })

  test('the configuration is a copy: changing the caller’s array later changes nothing', async () => {
    const previousKeys = [key(6)]
    configureServer({ key: key(7), previousKeys })
    previousKeys.push('garbage')
    expect(getServerConfig().previousKeys).toEqual([key(6)])
    expect(Object.isFrozen(getServerConfig())).toBe(true)
  })
})

describe('checkServerKeys (the production server at start)', () => {
  test('without a key, warns only when the build has functions that bind values', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await checkServerKeys({ dev: false, bindsValues: false })
    expect(warn).not.toHaveBeenCalled()
    await checkServerKeys({ dev: false, bindsValues: true })
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toMatch(/USE_SERVER_KEY is not set/)
  })

  test('a build without binding functions still warns when a token is first sealed (a .bind() on the server)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await checkServerKeys({ dev: false })
    expect(warn).not.toHaveBeenCalled()
    const like = registerServerReference(async (id: number) => id, 'config-like', 'like') as unknown as ServerReference
    await clientDataScript({ like: like.bind(null, 1) })
    expect(warn).toHaveBeenCalledTimes(1)
  })

  test('a malformed key fails the start, whatever the build holds', async () => {
    vi.stubEnv('USE_SERVER_KEY', 'abc')
    await expect(checkServerKeys({ dev: false })).rejects.toThrow(/USE_SERVER_KEY must be 32 bytes/)
  })
})
