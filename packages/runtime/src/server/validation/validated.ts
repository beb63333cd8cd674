import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { FormState } from '../../shared/formTypes.js'
import { ServerFunctionError } from '../../shared/ServerFunctionError.js'
import { isValidationError, ValidationError } from '../../shared/ValidationError.js'
import { checkFormDataOptions, convertForm, type FormDataOptions } from './formDataToObject.js'

type Schema = StandardSchemaV1
type In<S extends Schema> = StandardSchemaV1.InferInput<S>
type Out<S extends Schema> = StandardSchemaV1.InferOutput<S>
type Ins<Schemas extends readonly Schema[]> = { -readonly [K in keyof Schemas]: In<Schemas[K]> }
type Outs<Schemas extends readonly Schema[]> = { -readonly [K in keyof Schemas]: Out<Schemas[K]> }

/** `validated()`'s and `validatedState()`'s first argument, when a schema alone is not enough. */
export interface ValidationOptions<Input extends Schema = Schema, Bound extends readonly Schema[] = readonly Schema[]> extends FormDataOptions {
  /** The schema of the input: the function's last argument (an object from code, FormData from a form). */
  input: Input
  /**
   * Schemas of the values bound before the input (`fn.bind(null, postId)`), one per value. A value bound
   * in the browser is as untrusted as any argument, so each is validated too. Default none.
   */
  bound?: Bound
}

/** A function made by `validated()`: bound values, then the input (FormData from a form). */
export type ValidatedFunction<Bound extends unknown[], Input, Result> = (...args: [...Bound, Input | FormData]) => Promise<Awaited<Result>>

/** A function made by `validatedState()`, for `useActionState`: bound values, the previous state, the input. */
export type ValidatedStateFunction<Bound extends unknown[], Input, Result> = (
  ...args: [...Bound, FormState<Input, Awaited<Result>>, Input | FormData]
) => Promise<FormState<Input, Awaited<Result>>>

/**
 * A server function whose input is validated before `fn` runs, with any Standard Schema (Zod, Valibot,
 * ArkType…). A FormData input becomes an object first (see `formDataToObject`). `fn` receives the
 * schema's output (coerced, defaults applied); an input that does not pass throws a ValidationError,
 * which the caller gets with its issues. Export it from a 'use server' module:
 * `export const createPost = validated(PostInput, async (post) => { … })`.
 */
export function validated<I extends Schema, R>(schema: I, fn: (input: Out<I>) => R): ValidatedFunction<[], In<I>, R>
export function validated<I extends Schema, const B extends readonly Schema[] = [], R = unknown>(
  options: ValidationOptions<I, B>,
  fn: (...args: [...Outs<B>, Out<I>]) => R,
): ValidatedFunction<Ins<B>, In<I>, R>
export function validated(spec: Schema | ValidationOptions, fn: (...args: any[]) => unknown): (...args: any[]) => Promise<unknown> {
  const { input, bound, form } = readSpec('validated', spec, fn)
  const wrapper = async (...args: unknown[]) => {
    const value = args[bound.length]
    if (!(value instanceof FormData) && args[bound.length + 1] instanceof FormData) throw misuse('validated', 'validatedState')
    const boundValues = await validateBound(bound, args)
    const parsed = await parse(input, value, form)
    try {
      return await fn(...boundValues, parsed.value)
    } catch (error) {
      if (isValidationError(error) && error.values === undefined) withValues(error, parsed.values)
      throw error
    }
  }
  return nameLike(wrapper, fn)
}

/**
 * `validated()` for `useActionState`: called as `(previousState, input)` (after any bound values), it
 * returns the form's next state instead of throwing: `{ ok: true, data }` with what `fn` returned, or
 * `{ ok: false, fieldErrors, formErrors, values }` when the input did not pass (or `fn` threw a
 * ValidationError). Start the hook with `{}`. Bound values that fail their schemas still throw.
 */
export function validatedState<I extends Schema, R>(schema: I, fn: (input: Out<I>) => R): ValidatedStateFunction<[], In<I>, R>
export function validatedState<I extends Schema, const B extends readonly Schema[] = [], R = unknown>(
  options: ValidationOptions<I, B>,
  fn: (...args: [...Outs<B>, Out<I>]) => R,
): ValidatedStateFunction<Ins<B>, In<I>, R>
export function validatedState(spec: Schema | ValidationOptions, fn: (...args: any[]) => unknown): (...args: any[]) => Promise<FormState> {
  const { input, bound, form } = readSpec('validatedState', spec, fn)
  const wrapper = async (...args: unknown[]): Promise<FormState> => {
    // args: ...bound, previous state (React's; untrusted and unused), input
    const value = args[bound.length + 1]
    if (value === undefined && args[bound.length] instanceof FormData) throw misuse('validatedState', 'validated')
    const boundValues = await validateBound(bound, args)
    let parsed: Parsed
    try {
      parsed = await parse(input, value, form)
    } catch (error) {
      if (isValidationError(error)) return failedState(error)
      throw error
    }
    try {
      return { ok: true, data: await fn(...boundValues, parsed.value) }
    } catch (error) {
      if (isValidationError(error)) return failedState(error.values === undefined ? withValues(error, parsed.values) : error)
      throw error
    }
  }
  return nameLike(wrapper, fn)
}

/**
 * Validates one value with a Standard Schema, as `validated()` does (FormData is converted first), for
 * inline server functions and other places a wrapper does not fit. Returns the schema's output, or
 * throws a ValidationError with the issues (and, for FormData, the values sent).
 */
export async function validate<S extends Schema>(schema: S, value: unknown, options: FormDataOptions = {}): Promise<Out<S>> {
  if (!isSchema(schema)) throw new TypeError(`use-server: validate() takes a Standard Schema (Zod, Valibot, ArkType…) first, not ${describe(schema)}.`)
  return (await parse(schema, value, options)).value as Out<S>
}

interface Parsed {
  value: unknown
  values: Record<string, unknown> | undefined
}

async function parse(schema: Schema, value: unknown, form: FormDataOptions): Promise<Parsed> {
  let input = value
  let values: Record<string, unknown> | undefined
  if (value instanceof FormData) ({ input, values } = convertForm(value, form))
  const result = await schema['~standard'].validate(input)
  if (result.issues) throw new ValidationError(result.issues, { values })
  return { value: result.value, values }
}

async function validateBound(schemas: readonly Schema[], args: unknown[]): Promise<unknown[]> {
  const values: unknown[] = []
  for (let i = 0; i < schemas.length; i++) {
    const result = await schemas[i]!['~standard'].validate(args[i])
    if (result.issues) {
      // Not a field anyone can correct: a tampered or mistaken bound value, reported as a form-level issue.
      const issues = result.issues.map((issue) => ({ ...issue, path: [], message: `Bound value ${i + 1}: ${issue.message}` }))
      throw new ValidationError(issues, { status: 400 })
    }
    values.push(result.value)
  }
  return values
}

// On globalThis, like the registry: the copy of the runtime that renders may not be the one that validated.
const failedStates: WeakSet<object> = ((globalThis as Record<symbol, WeakSet<object>>)[Symbol.for('use-server.failedStates')] ??= new WeakSet())

/** Whether a validatedState() function returned `state` for an input that did not pass (a no-JS post answers 422). */
export function isFailedState(state: unknown): boolean {
  return typeof state === 'object' && state !== null && failedStates.has(state)
}

function failedState(error: ValidationError): FormState {
  const state: FormState = { ok: false, fieldErrors: error.fieldErrors, formErrors: error.formErrors }
  if (error.values !== undefined) state.values = error.values
  failedStates.add(state)
  return state
}

function withValues(error: ValidationError, values: Record<string, unknown> | undefined): ValidationError {
  if (values !== undefined) (error as { values: unknown }).values = values
  return error
}

function readSpec(api: string, spec: Schema | ValidationOptions, fn: unknown): { input: Schema; bound: readonly Schema[]; form: FormDataOptions } {
  if (typeof fn !== 'function') throw new TypeError(`use-server: ${api}(schema, fn) takes the server function second, not ${describe(fn)}.`)
  if (isSchema(spec)) return { input: spec, bound: [], form: {} }
  if (spec === null || typeof spec !== 'object' || !isSchema((spec as Partial<ValidationOptions>).input)) {
    throw new TypeError(`use-server: ${api}() takes a Standard Schema (Zod, Valibot, ArkType…) or { input: schema, bound?: [schemas] } first, not ${describe(spec)}.`)
  }
  const { input, bound = [], ...form } = spec
  if (!Array.isArray(bound) || !bound.every(isSchema)) throw new TypeError(`use-server: ${api}()'s bound option is a list of Standard Schemas, one per bound value.`)
  checkFormDataOptions(form)
  return { input, bound, form }
}

function isSchema(value: unknown): value is Schema {
  const props = value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as Partial<Schema>)['~standard'] : undefined
  return typeof props === 'object' && props !== null && props.version === 1 && typeof props.validate === 'function'
}

function misuse(api: string, other: string): ServerFunctionError {
  const shape = api === 'validated'
    ? 'with a FormData after its input: as useActionState calls it (previousState, formData), or with a value bound by .bind() that has no schema in `bound`'
    : 'with a FormData where it expects the previous state, as <form action> calls it'
  return new ServerFunctionError(
    `A ${api}() function was called ${shape}. validated() takes its bound values and the input, validatedState() its bound values, the previous state and the input: use ${other}(), or list the bound values' schemas in { input, bound }.`,
    { code: 'INVALID_CALL', status: 400 },
  )
}

function nameLike<F extends Function>(wrapper: F, fn: Function): F {
  if (fn.name) Object.defineProperty(wrapper, 'name', { value: fn.name })
  return wrapper
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object without "~standard"' : typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`
}
