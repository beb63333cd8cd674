import { connect } from 'node:net'
import { join } from 'node:path'
import { stringify } from 'devalue'
import type { ViteDevServer } from 'vite'
import { afterEach, describe, expect, test } from 'vitest'
import { call, stubsIn } from './support/calls.js'
import { copyFixture } from './support/fixtures.js'
import { vites } from './support/vites.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Sends a call's request by hand: headers, then `parts` of the body with `gap` ms between them. */
function rawCall(port: number, id: string, body: string, parts: string[], gap: number, abort: boolean): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk))
    socket.on('error', () => {})
    socket.on('close', () => resolve(answer))
    socket.on('connect', async () => {
      socket.write(`POST /_server/${id} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`)
      for (const part of parts) {
        await sleep(gap)
        if (socket.destroyed) return
        socket.write(part)
      }
      if (abort) socket.destroy()
    })
  })
}

// The first call after start preloads its function's module before it reads the body: a body that
// comes slowly, or not at all, meanwhile must not take the server down nor hold up the next call.
describe.each(vites)('$name: first call with a slow or aborted body', (vite) => {
  let server: ViteDevServer | undefined
  let app: ReturnType<typeof copyFixture> | undefined
  afterEach(async () => {
    await server?.close()
    app?.remove()
  })

  const start = async () => {
    app = copyFixture('spa')
    const { createServer } = await vite.load()
    server = await createServer({ root: app.root, configFile: join(app.root, 'vite.config.ts'), logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } })
    await server.listen()
    const origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '')
    const port = Number(new URL(origin).port)
    const add = stubsIn(await (await fetch(`${origin}/src/actions.ts`)).text()).get('add')!
    return { origin, port, add }
  }

  test('aborted mid-body while its module loads: the next call answers', async () => {
    const { origin, port, add } = await start()
    const body = stringify([1, 2])
    const aborted = await Promise.all([1, 2, 3].map(() => rawCall(port, add, body, [body.slice(0, 3)], 1, true)))
    expect(aborted.every((answer) => answer === '' || /^HTTP\/1\.1 [45]\d\d /.test(answer))).toBe(true)
    expect(await call(origin, add, [2, 3])).toMatchObject({ status: 200, body: { value: 5 } })
  })

  test('a body sent slowly is read whole and answered', async () => {
    const { origin, port, add } = await start()
    const body = stringify([20, 22])
    const parts = [...body]
    const [slow, fast] = await Promise.all([rawCall(port, add, body, parts, 40, false), call(origin, add, [1, 1])])
    expect(slow).toMatch(/^HTTP\/1\.1 200 /)
    expect(slow).toContain('42')
    expect(fast).toMatchObject({ status: 200, body: { value: 2 } })
    // aborted after a slow start, then a call
    await rawCall(port, add, body, parts.slice(0, 4), 40, true)
    expect(await call(origin, add, [3, 3])).toMatchObject({ status: 200, body: { value: 6 } })
  })
})
