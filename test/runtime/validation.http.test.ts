import { configure, createServerReference, isValidationError, ServerFunctionError, type ValidationError } from '@use-server/runtime/client'
import { registerServerReference, validated, validatedState, ValidationError as ServerValidationError } from '@use-server/runtime/server'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { post, startServer, type TestServer } from './harness.js'

// Validated functions called over real HTTP, the way a browser calls them: the client runtime encodes
// objects and FormData, the production handler answers, the client turns the answer back into values
// or a typed ValidationError.

const Post = z.object({
  title: z.string({ error: 'A post needs a title.' }).trim().min(1, 'A post needs a title.'),
  rating: z.coerce.number().int().min(1).max(5),
  attachment: z.instanceof(File).optional(),
})
const createPost = validated(Post, async (post) => ({ title: post.title, rating: post.rating, attachment: post.attachment?.name }))
const savePost = validatedState(Post, async (post) => `Saved “${post.title}”`)
const renamePost = validated({ input: v.object({ title: v.string() }), bound: [v.number()] }, async (id, { title }) => `${id}:${title}`)
const isTaken = validated(
  z.object({ name: z.string().refine(async (name) => name !== 'taken', 'That name is taken.') }),
  async ({ name }) => name,
)
registerServerReference(createPost, 'validation-create', 'createPost')
registerServerReference(savePost, 'validation-save', 'savePost')
registerServerReference(renamePost, 'validation-rename', 'renamePost')
registerServerReference(isTaken, 'validation-taken', 'isTaken')
registerServerReference(async () => renamePost.bind(null, 5), 'validation-renamer', 'renamer')
registerServerReference(async () => {
  throw new ServerValidationError([{ path: ['email'], message: 'Unknown address.' }])
}, 'validation-thrown', 'thrown')

let server: TestServer
beforeAll(async () => {
  server = await startServer({ dev: false, key: Buffer.alloc(32, 3).toString('base64'), onError: () => {} })
  configure({ base: server.base, headers: {} })
})
afterAll(() => server.close())

const call = <T = unknown>(id: string, ...args: unknown[]) => createServerReference(id, id)(...args) as Promise<T>
async function failure(id: string, ...args: unknown[]): Promise<ValidationError> {
  const error = await call(id, ...args).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(isValidationError(error)).toBe(true)
  return error as ValidationError
}
function form(entries: Record<string, string | Blob>): FormData {
  const data = new FormData()
  for (const [name, value] of Object.entries(entries)) data.append(name, value)
  return data
}

describe('validated functions over HTTP (production handler)', () => {
  test('an object from code: the function gets the coerced value', async () => {
    expect(await call('validation-create', { title: ' Hi ', rating: '3' })).toEqual({ title: 'Hi', rating: 3 })
  })

  test('FormData with a file: converted, coerced, the file arrives', async () => {
    const data = form({ title: 'With a file', rating: '5', attachment: new File(['%PDF'], 'doc.pdf') })
    expect(await call('validation-create', data)).toEqual({ title: 'With a file', rating: 5, attachment: 'doc.pdf' })
  })

  test('a failed call rejects with a ValidationError (a ServerFunctionError) carrying the issues, in production too', async () => {
    const error = await failure('validation-create', { title: '  ', rating: 'nine' })
    expect(error).toBeInstanceOf(ServerFunctionError)
    expect(isValidationError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'VALIDATION', status: 422, name: 'ValidationError' })
    expect(error.issues).toEqual([
      { path: ['title'], message: 'A post needs a title.' },
      { path: ['rating'], message: 'Invalid input: expected number, received NaN' },
    ])
    expect({ ...error.fieldErrors }).toEqual({ title: ['A post needs a title.'], rating: ['Invalid input: expected number, received NaN'] })
    expect(error.message).toBe('title: A post needs a title. (and 1 more issue)')
    expect(error.values).toBeUndefined() // the caller has them; nothing is echoed to code
  })

  test('the raw answer: status 422, x-use-server-error: VALIDATION, issues in the envelope', async () => {
    const response = await post(`${server.base}/validation-create`, JSON.stringify([[1], { title: 2, rating: 3 }, '', 'x']))
    expect(response.status).toBe(422)
    expect(response.headers.get('x-use-server-error')).toBe('VALIDATION')
    expect(await response.text()).toContain('A post needs a title.')
  })

  test('async validators run on the server', async () => {
    expect(await call('validation-taken', { name: 'free' })).toBe('free')
    expect({ ...(await failure('validation-taken', { name: 'taken' })).fieldErrors }).toEqual({ name: ['That name is taken.'] })
  })

  test('validatedState answers with the state: field errors and the text values sent, never file contents', async () => {
    const data = form({ title: '', rating: '2', attachment: new File(['TOP SECRET FILE CONTENT'], 'secret.txt') })
    const state = await call<Record<string, unknown>>('validation-save', {}, data)
    expect(JSON.parse(JSON.stringify(state))).toEqual({ ok: false, fieldErrors: { title: ['A post needs a title.'] }, formErrors: [], values: { title: '', rating: '2' } })
    expect(JSON.stringify(state)).not.toContain('TOP SECRET')
    expect(await call('validation-save', {}, form({ title: 'Fine', rating: '1' }))).toEqual({ ok: true, data: 'Saved “Fine”' })
  })

  test('a value bound on the server (sealed) passes its schema; one bound in the browser is checked like any argument', async () => {
    const rename = await call<(input: FormData) => Promise<string>>('validation-renamer')
    expect(await rename(form({ title: 'T' }))).toBe('5:T')
    const forged = createServerReference('validation-rename', 'renamePost').bind(null, '5')
    const error = await forged(form({ title: 'T' })).catch((e: unknown) => e as ValidationError)
    expect(isValidationError(error)).toBe(true)
    expect(error).toMatchObject({ status: 400, formErrors: ['Bound value 1: Invalid type: Expected number but received "5"'] })
  })

  test('a ValidationError thrown by any server function reaches the client as one', async () => {
    const error = await failure('validation-thrown')
    expect(error.issues).toEqual([{ path: ['email'], message: 'Unknown address.' }])
  })

  test('hostile forms are validation failures, never 500s', async () => {
    for (const name of ['__proto__.admin', 'a.constructor.prototype.admin', 'x' + '.y'.repeat(100)]) {
      const outcome = await call('validation-create', form({ [name]: 'true', title: 'x', rating: '1' })).catch((e: unknown) => e)
      if (name.startsWith('a.')) expect(outcome).toEqual({ title: 'x', rating: 1 }) // an unknown key the schema drops
      else expect(isValidationError(outcome)).toBe(true)
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
  })
})
