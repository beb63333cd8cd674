import { configureServer, memoryStore } from '@use-server/runtime/server'
import { afterEach, describe, expect, test } from 'vitest'
import { getServerConfig } from '../../../runtime/src/server/serverConfig.js'
import { resolveOptions, serverConfigFile } from '../options.js'
import { applyProductionConfig } from './productionConfig.js'

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64')

afterEach(() => configureServer({}))

describe('the server config module', () => {
  test('its keys and cache store become the process configuration; the rest is returned for the handler', () => {
    const cache = memoryStore()
    const onError = () => {}
    const config = applyProductionConfig({ key: key(1), nextKeys: [key(2)], cache, onError, shutdownTimeout: 3000 })
    expect(getServerConfig()).toMatchObject({ key: key(1), nextKeys: [key(2)], cache })
    expect(config).toMatchObject({ onError, shutdownTimeout: 3000 })
    expect(applyProductionConfig(undefined)).toEqual({})
  })

  test('a misspelled or mistyped field, or a malformed key, stops the server at start with a message that names it', () => {
    expect(() => applyProductionConfig({ sutdownTimeout: 1 }, 'src/server.config.ts')).toThrow(/src\/server\.config\.ts exports an unknown field "sutdownTimeout"; it may have: key, nextKeys/)
    expect(() => applyProductionConfig({ onError: 'log' })).toThrow(/"onError" must be a function, not string/)
    expect(() => applyProductionConfig({ events: 'yes' })).toThrow(/"events" must be a boolean or object/)
    expect(() => applyProductionConfig(() => ({}))).toThrow(/must export an object by default, not function/)
    expect(() => applyProductionConfig({ key: 'short' })).toThrow(/configureServer\(\{ key \}\) is not valid base64|decodes to/)
    expect(() => applyProductionConfig({ cache: {} })).toThrow(/must be a cache store/)
  })

  test('a promise (an async factory called, not awaited) stops the server too: its fields would be silently ignored', () => {
    const pending = Promise.resolve({ cache: memoryStore() })
    expect(() => applyProductionConfig(pending, 'src/server.config.ts')).toThrow(
      'use-server: src/server.config.ts exports a promise by default; await it in the module (`export default await makeConfig()`), so the server starts with its settings.',
    )
    expect(getServerConfig().cache).toBeUndefined()
  })

  test('is found at src/server.config.* by default, at the option’s path when given, and never when false', () => {
    const root = new URL('../../../../fixtures/apps/instances/', import.meta.url).pathname
    expect(serverConfigFile(resolveOptions({}), root)).toBe(`${root}src/server.config.ts`)
    expect(serverConfigFile(resolveOptions({ serverConfig: false }), root)).toBeUndefined()
    expect(() => serverConfigFile(resolveOptions({ serverConfig: 'src/missing.ts' }), root)).toThrow(/serverConfig points at .*src\/missing\.ts, which does not exist/)
    expect(serverConfigFile(resolveOptions({}), new URL('../../../../fixtures/apps/spa/', import.meta.url).pathname)).toBeUndefined()
    expect(() => resolveOptions({ shutdownTimeout: -1 })).toThrow(/shutdownTimeout must be a number of ms ≥ 0/)
  })
})
