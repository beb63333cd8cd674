import { configure, createServerReference, type ServerFunctionError } from '@use-server/runtime/client'
import { bindServerReferenceLazily, registerServerReference } from '@use-server/runtime/server'
import { parse, stringify } from 'devalue'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startServer, type TestServer } from './harness.js'

const editPost = registerServerReference(async (postId: string, title: string) => `post ${postId} renamed to ${title}`, 'bound-edit', 'editPost', 1)
const deletePost = registerServerReference(async (postId: string) => `deleted ${postId}`, 'bound-delete', 'deletePost', 1)
registerServerReference(async (postId: string) => editPost.bind(null, postId), 'bound-make-editor', 'makeEditor')
registerServerReference(async (postId: string) => deletePost.bind(null, postId), 'bound-make-deleter', 'makeDeleter')
registerServerReference(async (fn: (title: string) => Promise<string>, title: string) => fn(title), 'bound-call-it', 'callIt')
registerServerReference(async (fn: unknown) => fn, 'bound-echo', 'echo')
// What a hoisted inline declaration becomes: its bound value is read when it is sent, not when it is made.
let lazyPostId = 'not yet'
const lazyEditor = bindServerReferenceLazily(editPost, () => [lazyPostId])
registerServerReference(async (postId: string) => ((lazyPostId = postId), lazyEditor), 'bound-make-lazy', 'makeLazyEditor')

let server: TestServer
beforeAll(async () => {
  server = await startServer({ key: Buffer.alloc(32, 7).toString('base64') })
  configure({ base: server.base, parallel: false })
})
afterAll(() => server.close())

/** The token the server issues for a bound reference, read off a raw response. */
async function issueToken(factory: string, postId: string): Promise<string> {
  const response = await fetch(`${server.base}/${factory}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stringify([postId]) })
  let token = ''
  parse(await response.text(), { ServerReference: (payload: { token: string }) => (token = payload.token) })
  return token
}

async function callWithToken(id: string, token: string, args: unknown[]) {
  const body = new FormData()
  body.set('$payload', stringify(args))
  body.set('$bound', token)
  return fetch(`${server.base}/${id}`, { method: 'POST', body })
}

describe('bound references', () => {
  test('a bound reference returned by one call can be called, and its bound value never shows', async () => {
    const response = await fetch(`${server.base}/bound-make-editor`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stringify(['post-secret-42']) })
    expect(await response.text()).not.toContain('post-secret-42')
    const edit = await createServerReference('bound-make-editor', 'makeEditor')('post-42')
    expect(await edit('New title')).toBe('post post-42 renamed to New title')
  })

  test('it can be passed to another call, and comes back intact', async () => {
    const edit = await createServerReference('bound-make-editor', 'makeEditor')('post-7')
    expect(await createServerReference('bound-call-it', 'callIt')(edit, 'From an argument')).toBe('post post-7 renamed to From an argument')
    const again = await createServerReference('bound-echo', 'echo')(edit)
    expect(await again('Echoed')).toBe('post post-7 renamed to Echoed')
  })

  test('a lazily bound reference seals the values it reads when it is sent', async () => {
    const edit = await createServerReference('bound-make-lazy', 'makeLazyEditor')('post-lazy')
    expect(await edit('Read when sent')).toBe('post post-lazy renamed to Read when sent')
  })

  test('values bound on the client are ordinary arguments', async () => {
    const edit = await createServerReference('bound-make-editor', 'makeEditor')('post-8')
    expect(await edit.bind(null, 'Bound on the client')()).toBe('post post-8 renamed to Bound on the client')
  })

  test('a valid token works when sent by hand', async () => {
    const token = await issueToken('bound-make-editor', 'post-1')
    const response = await callWithToken('bound-edit', token, ['ok'])
    expect(response.status).toBe(200)
    expect(parse(await response.text())).toEqual({ value: 'post post-1 renamed to ok' })
  })

  test.each([
    ['flipped', (t: string) => t.slice(0, 25) + (t[25] === 'A' ? 'B' : 'A') + t.slice(26), 'bound-edit'],
    ['truncated', (t: string) => t.slice(0, -4), 'bound-edit'],
    ['empty', () => '', 'bound-edit'],
    ['from another function', (t: string) => t, 'bound-delete'],
  ])('a %s token is refused with 400', async (_, tamper, target) => {
    const token = await issueToken('bound-make-editor', 'post-1')
    const response = await callWithToken(target, tamper(token), ['x'])
    expect(response.status).toBe(400)
    expect(response.headers.get('x-use-server-error')).toBe('BAD_REQUEST')
    expect(parse(await response.text()).error.message).toMatch(/bound-values token is invalid/)
  })

  test('a token sealed with another key is refused', async () => {
    const other = await startServer({ key: Buffer.alloc(32, 9).toString('base64') })
    try {
      const response = await fetch(`${other.base}/bound-make-editor`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stringify(['post-1']) })
      let token = ''
      parse(await response.text(), { ServerReference: (p: { token: string }) => (token = p.token) })
      expect((await callWithToken('bound-edit', token, ['x'])).status).toBe(400)
    } finally {
      await other.close()
    }
  })

  test('a function that needs bound values cannot be called without them', async () => {
    const error = (await createServerReference('bound-edit', 'editPost')('attacker-chosen-id', 'title').catch((e) => e)) as ServerFunctionError
    expect(error.status).toBe(400)
    expect(error.message).toMatch(/needs the values bound to it/)
  })
})
