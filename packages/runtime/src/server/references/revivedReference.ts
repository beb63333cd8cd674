import type { ReferencePayload } from '../../shared/protocol.js'
import { mark, type ServerFunctionEntry } from './registry.js'
import type { ServerReference } from './serverReference.js'

/** A server function a client named in its arguments: callable once decoding has resolved it. */
export interface RevivedReference {
  readonly id: string
  readonly token: string | undefined
  /** The function app code receives. */
  readonly fn: ServerReference
  /** Called by the decoder, before any app code runs, with the function and its opened bound values. */
  resolve(entry: ServerFunctionEntry, serverBound: unknown[]): void
}

const ignore = () => {}

/**
 * The function that stands for a reference from a client. It calls the named function with its
 * server-bound values (from the token), then the client-bound ones, then its own arguments. It is a
 * bound function, so printing it (`${fn}`, CVE-2025-55183's way to read a server function's source)
 * shows `function () { [native code] }`. Code that calls it without awaiting the result (a
 * `String(value)` on a client's object, say) never leaves a rejection unhandled: the process lives.
 */
export function reviveReference({ id, token, bound = [] }: ReferencePayload): RevivedReference {
  let target: { entry: ServerFunctionEntry; serverBound: unknown[] } | undefined
  const run = async (args: unknown[]) => {
    if (!target) throw new Error(`use-server: the server function ${id} was called before its request was decoded.`)
    return target.entry.fn(...target.serverBound, ...bound, ...args)
  }
  const call = (...args: unknown[]) => {
    const result = run(args)
    result.catch(ignore)
    return result
  }
  return {
    id,
    token,
    fn: mark(call.bind(null), id, null, { token, bound }),
    resolve(entry, serverBound) {
      target = { entry, serverBound }
    },
  }
}
