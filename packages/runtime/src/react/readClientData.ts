import { readClientData } from '../client/clientData.js'
import type { ReactFormState } from '../ssr/decodeFormAction.js'

export { readClientData } from '../client/clientData.js'

/**
 * The form state the server rendered with (after a form was posted without JavaScript), for
 * `hydrateRoot(container, app, { formState: readFormState() })`. Null on other pages.
 */
export function readFormState(): ReactFormState | null {
  return (readClientData()?.formState as ReactFormState | undefined) ?? null
}
