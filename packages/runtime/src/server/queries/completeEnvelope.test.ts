import { parse, stringify } from 'devalue'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, test } from 'vitest'
import { ServerFunctionError } from '../../shared/ServerFunctionError.js'
import { cacheTag } from '../context/dependencies.js'
import { redirect } from '../context/redirect.js'
import { cookies, revalidatePath, revalidateTag } from '../context/requestContext.js'
import { handleServerFunction } from '../handleServerFunction.js'
import type { ServerFunctionEntry } from '../references/registry.js'

// A call's effects, whether its envelope completes at once (nothing revalidated) or after the store and
// the page's queries (single flight): revalidations made after an await, before a throw, beside a
// redirect, cookies set in the same call, and what the value depends on, all in the one answer.

let posts = ['first']
const functions: Record<string, ServerFunctionEntry> = {
  list: { name: 'list', fn: async () => (cacheTag('posts'), [...posts]) },
  afterAwait: {
    name: 'afterAwait',
    fn: async (title: string) => {
      await sleep(5)
      posts.push(title)
      cookies().set('saved', title)
      revalidateTag('posts')
      await sleep(1)
      revalidatePath('/posts')
      return posts.length
    },
  },
  throwsAfter: {
    name: 'throwsAfter',
    fn: async () => {
      revalidateTag('posts')
      cookies().set('tried', '1')
      await sleep(1)
      throw new Error('the database is down')
    },
  },
  refusesAfter: {
    name: 'refusesAfter',
    fn: async () => {
      revalidateTag('posts')
      throw new ServerFunctionError('Not yours.', { code: 'FORBIDDEN' })
    },
  },
  redirects: {
    name: 'redirects',
    fn: async () => {
      revalidateTag('posts')
      cookies().set('flash', 'created')
      redirect('/posts/1')
    },
  },
  quiet: { name: 'quiet', fn: async () => (cookies().set('seen', '1'), cacheTag('mine'), 'ok') },
  streams: {
    name: 'streams',
    fn: async function* () {
      yield 1
      revalidateTag('posts')
      return 'done'
    },
  },
}
const revalidations: unknown[] = []
const errors: unknown[] = []
const options = {
  dev: false,
  key: Buffer.alloc(32, 9).toString('base64'),
  resolve: (id: string) => (Object.hasOwn(functions, id) ? functions[id] : undefined),
  onRevalidate: (revalidated: unknown) => void revalidations.push(revalidated),
  onError: (error: unknown) => void errors.push(error),
  streams: true,
}
// The page shows `list`, which depends on the `posts` tag.
const live = Buffer.from(JSON.stringify([{ call: JSON.stringify([['ServerReference', 1], { id: 2, bound: 3 }, 'list', []]), tags: ['posts'], paths: [] }])).toString('base64url')

async function call(id: string, args: unknown[] = [], queries = true) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(queries ? { 'x-use-server-queries': live } : {}) }
  const response = await handleServerFunction(new Request(`http://x.test/_server/${id}`, { method: 'POST', body: stringify(args), headers }), options)
  const text = await response.text()
  const lines = text.split('\n').filter(Boolean)
  const envelope = parse(lines[lines.length - 1]!) as Record<string, unknown>
  if (envelope.revalidated) delete (envelope.revalidated as Record<string, unknown>).id
  if (envelope.error) delete (envelope.error as Record<string, unknown>).digest
  return { status: response.status, cookies: response.headers.getSetCookie(), envelope, lines: lines.length }
}

describe('completeEnvelope: every effect of a call in its answer', () => {
  test('a revalidation made after an await, with a cookie, refreshes the page\'s query in the same answer', async () => {
    posts = ['first']
    revalidations.length = 0
    expect(await call('afterAwait', ['second'])).toEqual({
      status: 200,
      cookies: ['saved=second; Path=/'],
      envelope: { value: 2, revalidated: { paths: ['/posts'], tags: ['posts'] }, refreshed: [{ index: 0, value: ['first', 'second'], tags: ['posts'], paths: [] }] },
      lines: 1,
    })
    expect(revalidations).toEqual([{ paths: ['/posts'], tags: ['posts'] }])
  })

  test('a function that throws after revalidating: the error, the revalidation, the refreshed query and the cookie', async () => {
    expect(await call('throwsAfter')).toMatchObject({
      status: 500,
      cookies: ['tried=1; Path=/'],
      envelope: { error: { code: 'INTERNAL_ERROR' }, revalidated: { paths: [], tags: ['posts'] }, refreshed: [{ index: 0, value: expect.any(Array) }] },
    })
    expect(await call('refusesAfter')).toMatchObject({
      envelope: { error: { code: 'FORBIDDEN', message: 'Not yours.' }, revalidated: { paths: [], tags: ['posts'] }, refreshed: [{ index: 0, value: expect.any(Array) }] },
    })
    expect(errors.splice(0)).toHaveLength(1) // the unexpected one is logged, the expected one is not
  })

  test('redirect and revalidate: the redirect and the revalidation, no query run for a page that is leaving', async () => {
    expect(await call('redirects')).toEqual({
      status: 200,
      cookies: ['flash=created; Path=/'],
      envelope: { redirect: { url: '/posts/1', status: 303 }, revalidated: { paths: [], tags: ['posts'] } },
      lines: 1,
    })
  })

  test('nothing revalidated: completed at once, with its cookie and what it depends on, no query run', async () => {
    revalidations.length = 0
    expect(await call('quiet')).toEqual({ status: 200, cookies: ['seen=1; Path=/'], envelope: { value: 'ok', depends: { tags: ['mine'], paths: [] } }, lines: 1 })
    expect(await call('quiet', [], false)).toMatchObject({ envelope: { value: 'ok', depends: { tags: ['mine'], paths: [] } } })
    expect(revalidations).toEqual([])
  })

  test('a stream that revalidates: its last line carries the revalidation and the refreshed query', async () => {
    const answer = await call('streams')
    expect(answer).toMatchObject({ status: 200, envelope: { value: 'done', done: true, revalidated: { paths: [], tags: ['posts'] }, refreshed: [{ index: 0, value: expect.any(Array) }] } })
    expect(answer.lines).toBe(2)
    expect(errors).toEqual([])
  })
})
