import { readDevalue } from '../codec/readDevalue.js'
import { clientRevivers } from '../client/revivers.js'
import type { ReactFormState } from '../ssr/decodeFormAction.js'

// Kept in step with FORM_STATE_GLOBAL in ssr/formState.ts (a browser module cannot import the server side).
const FORM_STATE_GLOBAL = '__USE_SERVER_FORM_STATE__'

/**
 * The form state the server rendered with (after a form was posted without JavaScript), for
 * `hydrateRoot(container, app, { formState: readFormState() })`. Null on other pages.
 */
export function readFormState(): ReactFormState | null {
  const text = (globalThis as Record<string, unknown>)[FORM_STATE_GLOBAL]
  return typeof text === 'string' ? (readDevalue(text, clientRevivers(undefined)) as ReactFormState) : null
}
