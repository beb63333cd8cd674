import { sealBoundValues } from '../security/boundToken.js'
import { encodeServerValue } from '../answer/encodeValue.js'
import { getKeyRing } from '../security/keys.js'
import { isDevelopment } from '../serverConfig.js'
import type { FormActionFields, ServerReference } from './serverReference.js'

// Hidden field names of progressively enhanced forms, after React's own convention (react-server-dom):
// `$ACTION_ID_<id>` names an unbound function; `$ACTION_REF_<prefix>` points at `$ACTION_<prefix>:id`
// and `$ACTION_<prefix>:token` for a bound one; React adds `$ACTION_KEY` for useActionState.
export const ACTION_ID_PREFIX = '$ACTION_ID_'
export const ACTION_REF_PREFIX = '$ACTION_REF_'
export const ACTION_KEY_FIELD = '$ACTION_KEY'
export const actionField = (prefix: string, part: 'id' | 'token') => `$ACTION_${prefix}:${part}`

const tokens = new WeakMap<ServerReference, { token?: string; error?: unknown; pending?: Promise<unknown> }>()

/**
 * `$$FORM_ACTION`: the form fields that make a reference work without JavaScript. The form posts to
 * the page itself (action ""), where `decodeFormAction` finds the function. Bound values are sealed
 * into a token; sealing is asynchronous, so the first call suspends the render (React retries it).
 */
export function encodeFormAction(this: ServerReference, prefix: string): FormActionFields {
  if (!this.$$bound?.length) return { name: ACTION_ID_PREFIX + this.$$id, method: 'POST', encType: 'multipart/form-data' }
  const data = new FormData()
  data.set(actionField(prefix, 'id'), this.$$id)
  data.set(actionField(prefix, 'token'), sealedToken(this))
  return { name: ACTION_REF_PREFIX + prefix, method: 'POST', encType: 'multipart/form-data', data }
}

/** `$$IS_SIGNATURE_EQUAL`: whether a posted form (id, number of bound values) came from this reference. */
export function isSignatureEqual(this: ServerReference, id: string, boundCount: number): boolean {
  return this.$$id === id && (this.$$bound?.length ?? 0) === boundCount
}

function sealedToken(reference: ServerReference): string {
  const state = tokens.get(reference) ?? {}
  if (state.token !== undefined) return state.token
  if ('error' in state) throw state.error
  if (!state.pending) {
    const ring = () => getKeyRing({}, isDevelopment())
    state.pending = Promise.resolve(encodeServerValue(reference.$$bound, ring, null, 'bound values of a form action', undefined, isDevelopment()))
      .then(async (plaintext) => sealBoundValues(await ring(), reference.$$id, plaintext))
      .then(
        (token) => void (state.token = token),
        (error: unknown) => void (state.error = error),
      )
    tokens.set(reference, state)
  }
  // React suspends on a thrown thenable and renders the form again once it settles.
  throw state.pending
}
