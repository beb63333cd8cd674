import { configure, createServerReference } from '@use-server/runtime/client'
import { cookies, headers, redirect, registerServerReference, revalidatePath, revalidateTag } from '@use-server/runtime/server'
import { parse, stringify } from 'devalue'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { startServer, type TestServer } from './harness.js'

registerServerReference(
  async (name: string) => {
    const store = cookies()
    const before = store.get('name')?.value ?? null
    store.set('name', name, { httpOnly: true, sameSite: 'lax', maxAge: 60 })
    store.delete('legacy')
    return { before, after: store.get('name')?.value, agent: headers().get('x-test-agent') }
  },
  'context-cookies',
  'setName',
)
registerServerReference(
  async (title: string) => {
    revalidatePath('/posts')
    revalidateTag('posts')
    redirect(`/posts/${encodeURIComponent(title)}`)
  },
  'context-create',
  'createPost',
)
registerServerReference(
  async () => {
    const list = headers() as unknown as Record<string, unknown>
    return { set: typeof list.set, append: typeof list.append, delete: typeof list.delete, agent: headers().get('user-agent') }
  },
  'context-headers',
  'readHeaders',
)

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe('request context', () => {
  test('cookies set in a function come back as Set-Cookie, and reads see the request', async () => {
    const response = await fetch(`${server.base}/context-cookies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'name=Old%20Name; legacy=1', 'x-test-agent': 'vitest' },
      body: stringify(['New Name']),
    })
    expect(response.status).toBe(200)
    expect(response.headers.getSetCookie()).toEqual([
      'name=New%20Name; Path=/; Max-Age=60; HttpOnly; SameSite=Lax',
      'legacy=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    ])
    expect(parse(await response.text())).toEqual({ value: { before: 'Old Name', after: 'New Name', agent: 'vitest' } })
  })

  test('headers() reads the request headers and offers no way to change them', async () => {
    configure({ base: server.base })
    expect(await createServerReference('context-headers', 'readHeaders')()).toEqual({ set: 'undefined', append: 'undefined', delete: 'undefined', agent: 'node' })
  })

  test('redirect and revalidation reach the client hooks and the revalidate event', async () => {
    const onRedirect = vi.fn()
    const onRevalidate = vi.fn()
    const events: unknown[] = []
    const target = new EventTarget()
    target.addEventListener('use-server:revalidate', (event) => events.push((event as CustomEvent).detail))
    const dispatch = (globalThis as { dispatchEvent?: unknown }).dispatchEvent
    ;(globalThis as { dispatchEvent?: unknown }).dispatchEvent = (event: Event) => target.dispatchEvent(event)
    try {
      configure({ base: server.base, onRedirect, onRevalidate })
      expect(await createServerReference('context-create', 'createPost')('Hello world')).toBeUndefined()
    } finally {
      ;(globalThis as { dispatchEvent?: unknown }).dispatchEvent = dispatch
    }
    expect(onRedirect).toHaveBeenCalledWith('/posts/Hello%20world', 303)
    // the id tells this revalidation apart when it also arrives through the event stream
    expect(onRevalidate).toHaveBeenCalledWith({ paths: ['/posts'], tags: ['posts'], id: expect.any(String) })
    expect(events).toEqual([{ paths: ['/posts'], tags: ['posts'], id: expect.any(String) }])
  })

  test('the request API outside a call says what to do', async () => {
    expect(() => cookies()).toThrow(/cookies\(\) was called outside a server function call.*runWithRequest/)
    expect(() => revalidatePath('/x')).toThrow(/revalidatePath\(\) was called outside/)
  })

  test('redirect() and revalidatePath() check their input', async () => {
    const { runWithRequest } = await import('@use-server/runtime/server')
    const request = new Request('http://x/')
    expect(() => runWithRequest(request, () => redirect('/x', { status: 200 }))).toThrow(/301, 302, 303, 307 or 308/)
    expect(() => runWithRequest(request, () => revalidatePath('posts'))).toThrow(/starting with "\/"/)
    expect(() => runWithRequest(request, () => revalidateTag(''))).toThrow(/non-empty string/)
  })
})
