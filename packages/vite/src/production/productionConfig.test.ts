import { afterEach, describe, expect, test } from 'vitest'
import { configureServer, memoryStore } from '@use-server/runtime/server'
import { applyProductionConfig } from './productionConfig.js'

// The server config module's default export as an app author may write it, right or wrong: every
// mistake stops the server at start with a message naming the module, never a config silently ignored.

afterEach(() => configureServer({}))

/** The process-wide configuration `configureServer` set (the runtime keeps it on globalThis). */
const serverConfig = () => (globalThis as Record<symbol, { config: { cache?: unknown } }>)[Symbol.for('use-server.config')]!.config

describe('applyProductionConfig', () => {
  test('applies keys and the cache store, and returns the hooks', () => {
    const cache = memoryStore()
    const onError = () => {}
    const config = applyProductionConfig({ key: Buffer.alloc(32, 7).toString('base64'), cache, onError }, 'src/server.config.ts')
    expect(serverConfig().cache).toBe(cache)
    expect(config.onError).toBe(onError)
  })

  test('a promise (an async factory called, not awaited) is refused: its fields would be silently ignored', () => {
    const pending = Promise.resolve({ cache: memoryStore() })
    expect(() => applyProductionConfig(pending, 'src/server.config.ts')).toThrow(
      'use-server: src/server.config.ts exports a promise by default; await it in the module (`export default await makeConfig()`), so the server starts with its settings.',
    )
    expect(serverConfig().cache).toBeUndefined()
  })

  test('unknown fields, wrong types and non-objects are refused, naming the module', () => {
    expect(() => applyProductionConfig({ cahce: memoryStore() }, 'm.ts')).toThrow(/m\.ts exports an unknown field "cahce"/)
    expect(() => applyProductionConfig({ shutdownTimeout: '5000' }, 'm.ts')).toThrow(/"shutdownTimeout" must be a number, not string/)
    expect(() => applyProductionConfig(() => ({}), 'm.ts')).toThrow(/must export an object by default, not function/)
    expect(() => applyProductionConfig({ cache: {} }, 'm.ts')).toThrow(/must be a cache store/)
    expect(applyProductionConfig(undefined)).toEqual({})
  })
})
