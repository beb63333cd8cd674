import { readDevalue } from '../codec/readDevalue.js'
import { CLIENT_DATA_GLOBAL, LOADED_FIELD, type LoadedForClient } from '../shared/protocol.js'
import { createStub } from './references.js'
import { clientRevivers } from './revivers.js'

/** What a server render hands to the browser: the form state, and whatever props the page needs. */
export interface ClientData {
  /** React's form state after a form posted without JavaScript (see `readFormState`). */
  formState?: unknown
  /** Queries and page data the render loaded, for the query cache (added by `clientDataScript`). */
  [LOADED_FIELD]?: LoadedForClient
  [key: string]: unknown
}

let cached: ClientData | undefined

/** The data the server render handed over with `clientDataScript`; server functions in it are callable stubs. */
export function readClientData<T extends ClientData = ClientData>(): T | undefined {
  if (cached) return cached as T
  const text = (globalThis as Record<string, unknown>)[CLIENT_DATA_GLOBAL]
  if (typeof text !== 'string') return undefined
  cached = readDevalue(text, clientRevivers(undefined, createStub)) as ClientData
  return cached as T
}
