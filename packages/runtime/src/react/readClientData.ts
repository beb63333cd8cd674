import { readDevalue } from '../codec/readDevalue.js'
import { createStub } from '../client/references.js'
import { clientRevivers } from '../client/revivers.js'
import { CLIENT_DATA_GLOBAL } from '../shared/protocol.js'
import type { ClientData } from '../ssr/clientDataScript.js'
import type { ReactFormState } from '../ssr/decodeFormAction.js'

let cached: ClientData | undefined

/** The data the server render handed over with `clientDataScript`; server functions in it are callable stubs. */
export function readClientData<T extends ClientData = ClientData>(): T | undefined {
  if (cached) return cached as T
  const text = (globalThis as Record<string, unknown>)[CLIENT_DATA_GLOBAL]
  if (typeof text !== 'string') return undefined
  cached = readDevalue(text, clientRevivers(undefined, createStub)) as ClientData
  return cached as T
}

/**
 * The form state the server rendered with (after a form was posted without JavaScript), for
 * `hydrateRoot(container, app, { formState: readFormState() })`. Null on other pages.
 */
export function readFormState(): ReactFormState | null {
  return readClientData()?.formState ?? null
}
