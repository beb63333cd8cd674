import { configure, createServerReference, withOptions } from '@use-server/runtime/client'
import { getRequest, redirect, registerServerReference } from '@use-server/runtime/server'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { startServer, type TestServer } from './harness.js'

const log: string[] = []
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))
registerServerReference(
  async (name: string, ms: number) => {
    log.push(`start ${name}`)
    await tick(ms)
    log.push(`end ${name}`)
    return name
  },
  'dispatch-work',
  'work',
)
let serverSawAbort: Promise<string> | undefined
registerServerReference(
  async () => {
    const { signal } = getRequest()
    serverSawAbort = new Promise((resolve) => signal.addEventListener('abort', () => resolve(String(signal.reason)), { once: true }))
    await serverSawAbort
    return 'never sent'
  },
  'dispatch-hang',
  'hang',
)

registerServerReference(async () => redirect('/elsewhere'), 'dispatch-leave', 'leave')

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => {
  log.length = 0
  configure({ parallel: false })
})

const work = createServerReference('dispatch-work', 'work')

describe('dispatch', () => {
  test('by default calls reach the server one at a time, in the order they were made', async () => {
    configure({ base: server.base })
    const results = await Promise.all([work('a', 60), work('b', 5), work('c', 5)])
    expect(results).toEqual(['a', 'b', 'c'])
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c'])
  })

  test('configure({ parallel: true }) lets calls overlap', async () => {
    configure({ base: server.base, parallel: true })
    await Promise.all([work('a', 60), work('b', 5)])
    expect(log.slice(0, 2)).toEqual(['start a', 'start b'])
  })

  test('withOptions(fn, { parallel: true }) overlaps one call with the queue', async () => {
    configure({ base: server.base })
    await Promise.all([work('queued', 60), withOptions(work, { parallel: true })('parallel', 5)])
    expect(log.indexOf('start parallel')).toBeLessThan(log.indexOf('end queued'))
  })

  test('an AbortSignal rejects the call and the server sees its request aborted', async () => {
    configure({ base: server.base })
    const controller = new AbortController()
    const call = withOptions(createServerReference('dispatch-hang', 'hang'), { signal: controller.signal })()
    // Abort once the function runs (on a loaded machine that may take longer than any fixed wait).
    await vi.waitFor(() => expect(serverSawAbort).toBeDefined(), { timeout: 10_000 })
    controller.abort(new Error('user navigated away'))
    await expect(call).rejects.toThrow('user navigated away')
    await expect(serverSawAbort).resolves.toMatch(/client closed the connection/)
    // the queue moves on
    expect(await work('after', 1)).toBe('after')
  })
})

describe('a redirect that leaves the page', () => {
  test('never resolves its call (no state renders for a page on its way out), and frees the queue', async () => {
    const left: string[] = []
    configure({ base: server.base, onRedirect: (url) => (left.push(url), true) })
    let settled = false
    void createServerReference('dispatch-leave', 'leave')().finally(() => (settled = true))
    expect(await work('after', 1)).toBe('after')
    expect(left).toEqual(['/elsewhere'])
    await tick(20)
    expect(settled).toBe(false)
  })

  test('resolves when the page routes it itself (onRedirect returns nothing)', async () => {
    const routed: string[] = []
    configure({ base: server.base, onRedirect: (url) => void routed.push(url) })
    await expect(createServerReference('dispatch-leave', 'leave')()).resolves.toBeUndefined()
    expect(routed).toEqual(['/elsewhere'])
  })
})
