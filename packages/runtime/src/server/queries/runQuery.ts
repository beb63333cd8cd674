import { PayloadError } from '../request/validatePayload.js'
import { decodeValue, NO_FILES } from '../request/decodeValue.js'
import type { ResolvedHandlerOptions } from '../handlerOptions.js'
import { isServerReference } from '../references/serverReference.js'

/**
 * The function that runs a live query again: its call text decoded like a payload (the reference
 * looked up, its token opened, its arguments bound to it), so calling it runs the query.
 */
export async function queryOfCall(o: ResolvedHandlerOptions, call: string): Promise<() => unknown> {
  const fn = await decodeValue(call, NO_FILES, o)
  if (!isServerReference(fn)) throw new PayloadError('the query is not a server function')
  return fn as unknown as () => unknown
}
