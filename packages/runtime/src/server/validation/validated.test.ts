import * as v from 'valibot'
import { describe, expect, expectTypeOf, test } from 'vitest'
import { z } from 'zod'
import type { FormState } from '../../shared/formTypes.js'
import { ServerFunctionError } from '../../shared/ServerFunctionError.js'
import { isValidationError, ValidationError } from '../../shared/ValidationError.js'
import { validate, validated, validatedState } from './validated.js'

function form(entries: Record<string, string | File | string[]>): FormData {
  const data = new FormData()
  for (const [name, value] of Object.entries(entries)) for (const item of Array.isArray(value) ? value : [value]) data.append(name, item)
  return data
}
const plain = (value: unknown) => JSON.parse(JSON.stringify(value))

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isValidationError(error)) throw new Error(`expected a ValidationError, got ${String(error)}`)
  return error
}

// The same post form in both libraries: a required title, an optional body, a number, a checkbox, tags.
const zodPost = z.object({
  title: z.string({ error: 'A post needs a title.' }).trim().min(1, 'A post needs a title.').max(120),
  body: z.string().default(''),
  rating: z.coerce.number().int().min(1).max(5).optional(),
  publish: z.stringbool().default(false),
  tags: z.array(z.string()).default([]),
})
const valibotPost = v.object({
  title: v.pipe(v.string('A post needs a title.'), v.trim(), v.nonEmpty('A post needs a title.'), v.maxLength(120)),
  body: v.optional(v.string(), ''),
  rating: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1), v.maxValue(5))),
  publish: v.pipe(v.optional(v.string(), ''), v.transform((value) => value === 'on')),
  tags: v.optional(v.array(v.string()), []),
})

describe.each([
  ['zod', zodPost],
  ['valibot', valibotPost],
] as const)('validated() with %s', (_library, schema) => {
  const createPost = validated(schema, async (post) => ({ saved: post }))

  test('a form becomes an object, the schema coerces it, and the function gets the output', async () => {
    const { saved } = await createPost(form({ title: '  Hello  ', rating: '4', publish: 'on', 'tags[]': ['a'] }))
    expect(saved).toEqual({ title: 'Hello', body: '', rating: 4, publish: true, tags: ['a'] })
    expect((await createPost(form({ title: 'x' }))).saved).toEqual({ title: 'x', body: '', rating: undefined, publish: false, tags: [] })
  })

  test('a call from code passes the object as is', async () => {
    expect((await createPost({ title: 'From code', tags: ['t'] })).saved).toMatchObject({ title: 'From code', tags: ['t'] })
  })

  test('a failed form throws a ValidationError: issues, field errors, and the values sent', async () => {
    const error = await rejection(createPost(form({ title: '   ', rating: '9', tags: ['a', 'b'] })))
    expect(error).toBeInstanceOf(ServerFunctionError)
    expect(error).toMatchObject({ code: 'VALIDATION', status: 422 })
    expect(error.issues.map((issue) => issue.path)).toEqual([['title'], ['rating']])
    expect(Object.keys(error.fieldErrors)).toEqual(['title', 'rating'])
    expect(error.fieldErrors.title).toEqual(['A post needs a title.'])
    expect(error.formErrors).toEqual([])
    expect(error.message).toBe('title: A post needs a title. (and 1 more issue)')
    expect(plain(error.values)).toEqual({ title: '   ', rating: '9', tags: ['a', 'b'] })
  })

  test('an empty required field gets the schema’s own message', async () => {
    const error = await rejection(createPost(form({ title: '' })))
    expect(error.fieldErrors.title).toEqual(['A post needs a title.'])
    expect(plain(error.values)).toEqual({ title: '' })
  })

  test('a call from code gets the issues, without values', async () => {
    const error = await rejection(createPost({ title: 42 } as never))
    expect(error.issues[0]!.path).toEqual(['title'])
    expect(error.values).toBeUndefined()
  })
})

describe('validated()', () => {
  test('async validators are awaited (zod refine, valibot checkAsync)', async () => {
    const taken = new Set(['taken'])
    const check = async (name: string) => {
      await new Promise((r) => setTimeout(r, 5))
      return !taken.has(name)
    }
    const viaZod = validated(z.object({ name: z.string().refine(check, 'That name is taken.') }), async ({ name }) => name)
    const viaValibot = validated(v.objectAsync({ name: v.pipeAsync(v.string(), v.checkAsync(check, 'That name is taken.')) }), async ({ name }) => name)
    for (const fn of [viaZod, viaValibot]) {
      expect(await fn({ name: 'free' })).toBe('free')
      expect((await rejection(fn(form({ name: 'taken' })))).fieldErrors).toEqual(Object.assign(Object.create(null), { name: ['That name is taken.'] }))
    }
  })

  test('the function never runs when the input fails', async () => {
    let runs = 0
    const fn = validated(z.object({ n: z.coerce.number() }), async () => void runs++)
    await rejection(fn(form({ n: 'abc' })))
    await rejection(fn(undefined as never))
    expect(runs).toBe(0)
  })

  test('a ValidationError the function throws reaches the caller with the values sent', async () => {
    const rename = validated(z.object({ title: z.string() }), async ({ title }) => {
      if (title === 'Taken') throw new ValidationError([{ path: ['title'], message: 'That title is taken.' }])
      return title
    })
    const error = await rejection(rename(form({ title: 'Taken', file: new File(['x'], 'x.txt') })))
    expect(error.fieldErrors.title).toEqual(['That title is taken.'])
    expect(plain(error.values)).toEqual({ title: 'Taken' })
  })

  test('a malformed form is refused before the schema runs', async () => {
    let schemaRuns = 0
    const counted = z.any().superRefine(() => void schemaRuns++)
    const error = await rejection(validated(counted, async () => 'ran')(form({ '__proto__.x': '1' })))
    expect(error.formErrors[0]).toMatch(/"__proto__" cannot be a key/)
    expect(schemaRuns).toBe(0)
  })

  test('bound values are validated by their own schemas and come first', async () => {
    const rename = validated({ input: z.object({ title: z.string() }), bound: [z.coerce.number().int()] }, async (postId, { title }) => ({ postId, title }))
    expect(await rename.bind(null, '7')(form({ title: 'New' }))).toEqual({ postId: 7, title: 'New' })
    const error = await rejection(rename('x', form({ title: 'New' })))
    expect(error.status).toBe(400)
    expect(error.formErrors).toEqual(['Bound value 1: Invalid input: expected number, received NaN'])
    expect(Object.keys(error.fieldErrors)).toEqual([])
  })

  test('called as useActionState calls (state, formData), it says to use validatedState()', async () => {
    const fn = validated(z.object({ title: z.string() }), async () => 'ran')
    const error = await (fn as (...args: unknown[]) => Promise<unknown>)({}, form({ title: 'x' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ServerFunctionError)
    expect(error).toMatchObject({ code: 'INVALID_CALL', status: 400 })
    expect((error as Error).message).toMatch(/use validatedState\(\)/)
  })

  test('mistakes in the declaration are TypeErrors that say what to pass', () => {
    expect(() => validated({} as never, async () => {})).toThrow(/takes a Standard Schema \(Zod, Valibot, ArkType…\) or \{ input: schema, bound\?: \[schemas\] \} first, not an object without "~standard"/)
    expect(() => validated(z.string(), 'fn' as never)).toThrow(/takes the server function second, not a string/)
    expect(() => validated({ input: z.string(), bound: [{}] } as never, async () => {})).toThrow(/bound option is a list of Standard Schemas/)
    expect(() => validated({ input: z.string(), keepEmptyStrings: 'yes' } as never, async () => {})).toThrow(/keepEmptyStrings is true or false/)
    expect(() => validated({ input: z.string(), maxDepth: -1 }, async () => {})).toThrow(/maxDepth must be an integer/)
  })

  test('the wrapper keeps the function’s name', () => {
    expect(validated(z.string(), async function createPost() {}).name).toBe('createPost')
  })

  test('types: the caller’s arguments come from the schema’s input, the function’s from its output', () => {
    const fn = validated(zodPost, async (post) => {
      expectTypeOf(post).toEqualTypeOf<z.output<typeof zodPost>>()
      return post.title.length
    })
    expectTypeOf(fn).parameters.toEqualTypeOf<[z.input<typeof zodPost> | FormData]>()
    expectTypeOf(fn).returns.toEqualTypeOf<Promise<number>>()
    const bound = validated({ input: valibotPost, bound: [z.number(), v.string()] }, async (id, slug, post) => {
      expectTypeOf(id).toEqualTypeOf<number>()
      expectTypeOf(slug).toEqualTypeOf<string>()
      expectTypeOf(post).toEqualTypeOf<v.InferOutput<typeof valibotPost>>()
    })
    expectTypeOf(bound).parameters.toEqualTypeOf<[number, string, v.InferInput<typeof valibotPost> | FormData]>()
    expectTypeOf(bound.bind(null, 1, 'a')).parameters.toEqualTypeOf<[v.InferInput<typeof valibotPost> | FormData]>()
  })
})

describe('validatedState()', () => {
  const save = validatedState(zodPost, async (post) => `Saved “${post.title}”`)

  test('a failed submission returns the state to show: field errors and the values sent', async () => {
    const state = await save({}, form({ title: '', rating: '0', photo: new File(['bytes'], 'p.png') }))
    expect(plain(state)).toEqual({ ok: false, fieldErrors: { title: ['A post needs a title.'], rating: ['Too small: expected number to be >=1'] }, formErrors: [], values: { title: '', rating: '0' } })
  })

  test('a good one returns { ok: true, data }, whatever the previous state was', async () => {
    const previous: FormState = { ok: false, values: { title: '' }, fieldErrors: { title: ['x'] } }
    expect(await save(previous as never, form({ title: 'Hi' }))).toEqual({ ok: true, data: 'Saved “Hi”' })
  })

  test('a ValidationError thrown by the function becomes state too; other errors are thrown', async () => {
    const reserve = validatedState(v.object({ name: v.string() }), async ({ name }) => {
      if (name === 'admin') throw new ValidationError([{ path: ['name'], message: 'Reserved.' }, { path: [], message: 'Try another.' }])
      if (name === 'boom') throw new Error('database down')
      return name
    })
    expect(plain(await reserve({}, form({ name: 'admin' })))).toEqual({ ok: false, fieldErrors: { name: ['Reserved.'] }, formErrors: ['Try another.'], values: { name: 'admin' } })
    await expect(reserve({}, form({ name: 'boom' }))).rejects.toThrow('database down')
  })

  test('a malformed form becomes a form-level error', async () => {
    const state = await save({}, form({ title: 'x', 'title.sub': 'y' }))
    expect(state.ok).toBe(false)
    expect(state.formErrors?.[0]).toMatch(/"title" is used in two ways/)
  })

  test('with bound values: (…bound, previous, input); a bad bound value throws', async () => {
    const rename = validatedState({ input: z.object({ title: z.string() }), bound: [z.number()] }, async (id, { title }) => `${id}:${title}`)
    expect(await rename.bind(null, 3)({}, form({ title: 'T' }))).toEqual({ ok: true, data: '3:T' })
    await expect(rename('3' as never, {}, form({ title: 'T' }))).rejects.toThrow(/Bound value 1/)
  })

  test('called as <form action> calls (formData alone), it says to use validated()', async () => {
    await expect((save as (...args: unknown[]) => Promise<unknown>)(form({ title: 'x' }))).rejects.toThrow(/use validated\(\)/)
  })

  test('types: (previous state, input) → the next state', () => {
    expectTypeOf(save).parameters.toEqualTypeOf<[FormState<z.input<typeof zodPost>, string>, z.input<typeof zodPost> | FormData]>()
    expectTypeOf(save).returns.toEqualTypeOf<Promise<FormState<z.input<typeof zodPost>, string>>>()
    const state = {} as Awaited<ReturnType<typeof save>>
    expectTypeOf(state.fieldErrors?.title).toEqualTypeOf<string[] | undefined>()
    expectTypeOf(state.values?.title).toEqualTypeOf<string | undefined>()
    expectTypeOf(state.values?.tags).toEqualTypeOf<string[] | undefined>()
    expectTypeOf(state.data).toEqualTypeOf<string | undefined>()
  })
})

describe('validate()', () => {
  test('validates one value (FormData converted first) for inline server functions', async () => {
    expect(await validate(zodPost, form({ title: 'Inline' }))).toMatchObject({ title: 'Inline', publish: false })
    const error = await rejection(validate(valibotPost, form({ title: '', secret: 'pw' }), { redact: ['secret'] }))
    expect(plain(error.values)).toEqual({ title: '' })
    await expect(validate({} as never, 1)).rejects.toThrow(/takes a Standard Schema/)
  })
})
