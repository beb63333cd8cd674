import { encodeServerValue } from '../server/encodeValue.js'
import { getKeyRing } from '../server/keys.js'
import type { ReactFormState } from './decodeFormAction.js'

/** The global the browser reads the form state from (see `readFormState`). */
export const FORM_STATE_GLOBAL = '__USE_SERVER_FORM_STATE__'

/**
 * JavaScript for `renderToReadableStream`'s `bootstrapScriptContent` that hands the form state to
 * the browser, so `hydrateRoot(…, { formState: readFormState() })` matches the server render.
 * The state is written in devalue's format (any value a server function may return).
 */
export async function formStateScript(formState: ReactFormState | null): Promise<string> {
  if (!formState) return ''
  const dev = typeof process !== 'undefined' && process.env.NODE_ENV !== 'production'
  const text = await encodeServerValue(formState, await getKeyRing({}, dev), null, 'form state', (path) => `form state${path}`)
  // devalue escapes `<`, so the text cannot close the script element.
  return `self.${FORM_STATE_GLOBAL}=${JSON.stringify(text)};`
}
