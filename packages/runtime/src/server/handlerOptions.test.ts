import { afterEach, describe, expect, test } from 'vitest'
import { setDevelopmentProcess } from './developmentMode.js'
import { handleServerFunction } from './handleServerFunction.js'
import { registerServerReference } from './references/registry.js'

// A hand-written entry (an SSR server, a Worker) gets production behaviour unless told otherwise:
// NODE_ENV is never read, so a platform without process.env never sends error text to a client.

registerServerReference(async () => {
  throw new Error('the database password is hunter2')
}, 'mode-crash', 'crash')

const call = (options?: Parameters<typeof handleServerFunction>[1]) =>
  handleServerFunction(new Request('http://app.test/_server/mode-crash', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[[]]' }), { onError: () => {}, ...options })

describe('a handler is in production mode unless told otherwise', () => {
  const nodeEnv = process.env.NODE_ENV
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv
    setDevelopmentProcess(false)
  })

  test.each([undefined, 'development', 'test'])('with NODE_ENV %s, an unexpected error reaches the client as a digest', async (value) => {
    if (value === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = value
    const text = await (await call()).text()
    expect(text).toMatch(/The server function failed\. Look for digest [0-9a-f]{10} in the server logs\./)
    expect(text).not.toContain('hunter2')
  })

  test('under the Vite dev server, or with dev: true, the client gets the message', async () => {
    expect(await (await call({ dev: true })).text()).toContain('hunter2')
    setDevelopmentProcess(true)
    expect(await (await call()).text()).toContain('hunter2')
    expect(await (await call({ dev: false })).text()).not.toContain('hunter2')
  })
})
