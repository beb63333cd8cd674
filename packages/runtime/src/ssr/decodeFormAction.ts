import { errorEnvelope, pageError } from '../server/answer/errorEnvelope.js'
import { createRequestContext, runInContext, type RequestContext } from '../server/context/requestContext.js'
import { resolveHandlerOptions, type HandlerOptions } from '../server/handlerOptions.js'
import { ACTION_ID_PREFIX, ACTION_KEY_FIELD, ACTION_REF_PREFIX, actionField } from '../server/references/formAction.js'
import { openBound } from '../server/request/decodeValue.js'
import { incomingFromRequest } from '../server/request/incomingCall.js'
import { BodyError } from '../server/request/bodyError.js'
import { readForm, toFormData, type FormEntry } from '../server/request/readForm.js'
import { PayloadError } from '../server/request/validatePayload.js'
import { verifyOrigin } from '../server/security/verifyOrigin.js'
import { isFailedState } from '../server/validation/validated.js'
import { invalidateCached, publishRevalidation, revalidationOf } from '../server/cache/revalidations.js'
import type { ResolvedHandlerOptions } from '../server/handlerOptions.js'

/**
 * React's form state: what `renderToReadableStream` and `hydrateRoot` take as `formState`. React
 * types it as opaque; it is `[state, key, referenceId, boundCount]`. Without React's types (a Vue or
 * Svelte app) it is `any`; the directive below (kept in the published .d.ts) lets such an app
 * compile with `skipLibCheck: false`.
 * @ts-ignore -- @types/react-dom is optional */
export type ReactFormState = import('react-dom/client').ReactFormState

export type FormActionOutcome =
  /** Send as is: a redirect (303, with the call's cookies) or a refusal (403, 404, 413, 408, 400). */
  | { type: 'response'; response: Response }
  /**
   * Render the page: with `formState` when a `useActionState` form posted (null otherwise), in the
   * call's request `context` (its cookies are visible and go out as Set-Cookie), with `error` when
   * the function threw.
   */
  | { type: 'render'; formState: ReactFormState | null; context: RequestContext; status: number; error?: unknown }

/**
 * Recognizes a form posted without JavaScript to a page (`<form action={fn}>`,
 * `<button formAction={fn}>`, `useActionState`), and runs its function with the submitted fields,
 * under the same origin check, body limit and bound-value checks as calls from JavaScript.
 * Returns null for any other request, whose body is left unread.
 */
export async function decodeFormAction(request: Request, options?: HandlerOptions): Promise<FormActionOutcome | null> {
  const contentType = request.headers.get('content-type') ?? ''
  if (request.method !== 'POST' || !/^(multipart\/form-data|application\/x-www-form-urlencoded)/.test(contentType)) return null
  const o = resolveHandlerOptions(options)
  let form: FormEntry[]
  try {
    // A clone: a post that names no server function leaves its body unread for the page.
    const limits = { bodyLimit: o.bodyLimit, bodyTimeout: o.bodyTimeout, maxParts: o.limits.maxParts }
    form = await readForm(incomingFromRequest(request.clone()), contentType, limits, 'the form')
  } catch (error) {
    if (error instanceof BodyError) return refuse(error.status, error.message)
    if (error instanceof PayloadError) return refuse(400, error.message)
    throw error
  }
  const action = findAction(form)
  if (!action) return null

  const forbidden = verifyOrigin(incomingFromRequest(request), o)
  if (forbidden) return refuse(403, `cross-site form post refused: ${forbidden}`)
  const entry = await o.resolve(action.id)
  if (!entry) return refuse(404, 'this form belongs to an older version of the page; reload it and try again')
  const fields = toFormData(form.filter(([name]) => !name.startsWith('$ACTION_')))
  let bound: unknown[]
  try {
    bound = await openBound(o, action.id, entry, action.token)
  } catch (error) {
    if (error instanceof PayloadError) return refuse(400, error.message)
    throw error
  }

  const context = createRequestContext(request)
  let state: unknown
  try {
    state = await runInContext(context, () => entry.fn(...bound, fields))
  } catch (error) {
    await revalidate(o, context)
    const { envelope, status } = errorEnvelope(o, action.id, entry.name, error)
    if (envelope.redirect) return redirectResponse(envelope.redirect.url, context)
    return { type: 'render', formState: null, context, status, error: pageError(o, error, envelope) }
  }
  await revalidate(o, context)
  // A useActionState form bound its previous state as the last bound value; React's key says which hook.
  const key = form.find(([name]) => name === ACTION_KEY_FIELD)?.[1]
  const formState = typeof key === 'string' ? ([state, key, action.id, bound.length - 1] as unknown as ReactFormState) : null
  // A form whose validatedState() function refused the input renders with its errors, as 422 Unprocessable Content.
  return { type: 'render', formState, context, status: isFailedState(state) ? 422 : 200 }
}

/** What the form's function revalidated: dropped from the cache before the page renders again, and published. */
async function revalidate(o: ResolvedHandlerOptions, context: RequestContext): Promise<void> {
  const revalidation = revalidationOf(context)
  if (!revalidation) return
  await invalidateCached(revalidation)
  o.options.onRevalidate?.({ paths: revalidation.paths, tags: revalidation.tags }, context.incoming.request)
  publishRevalidation(revalidation)
}

/**
 * The function a form names. The last one wins, as in React: a `<button formAction>` (the submitter,
 * sent after the form's own hidden field) overrides its form's `action`.
 */
function findAction(form: FormEntry[]): { id: string; token?: string } | undefined {
  const firstValues = new Map<string, FormEntry[1]>()
  for (const [name, value] of form) if (!firstValues.has(name)) firstValues.set(name, value)
  const first = (name: string) => firstValues.get(name)
  let found: { id: string; token?: string } | undefined
  for (const [name] of form) {
    if (name.startsWith(ACTION_ID_PREFIX)) found = { id: name.slice(ACTION_ID_PREFIX.length) }
    else if (name.startsWith(ACTION_REF_PREFIX)) {
      const prefix = name.slice(ACTION_REF_PREFIX.length)
      const id = first(actionField(prefix, 'id'))
      const token = first(actionField(prefix, 'token'))
      if (typeof id === 'string' && typeof token === 'string') found = { id, token }
    }
  }
  return found
}

function redirectResponse(url: string, context: RequestContext): FormActionOutcome {
  const headers = new Headers({ location: url, 'cache-control': 'no-store' })
  for (const cookie of context.cookies.setCookieHeaders()) headers.append('set-cookie', cookie)
  return { type: 'response', response: new Response(null, { status: 303, headers }) }
}

function refuse(status: number, reason: string): FormActionOutcome {
  const text = `Form not accepted: ${reason}.\n`
  return { type: 'response', response: new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } }) }
}
