import { ServerFunctionError } from '../../shared/ServerFunctionError.js'
import type { ReferencePayload } from '../../shared/protocol.js'
import { openBoundValues } from '../security/boundToken.js'
import { decodeServerValue, type ReviveReference } from '../request/decodeRequest.js'
import type { ResolvedHandlerOptions } from '../handlerOptions.js'
import { mark, type ServerFunctionEntry } from './registry.js'
import { PayloadError } from '../request/validatePayload.js'

/** Server-bound values for a call: the opened token, checked against what the function expects. */
export async function openBound(o: ResolvedHandlerOptions, id: string, entry: ServerFunctionEntry, token: string | undefined, revive: ReviveReference): Promise<unknown[]> {
  const expected = entry.boundCount ?? 0
  if (token === undefined) {
    if (expected > 0) throw new PayloadError('this server function needs the values bound to it; call it through the reference the server gave you')
    return []
  }
  const plain = await openBoundValues(await o.ring(), id, token)
  if (plain === undefined) throw new PayloadError('the bound-values token is invalid (tampered, truncated, made for another function, or sealed with a key this server does not have)')
  const values = decodeServerValue(plain, o.limits, new Map(), revive)
  if (!Array.isArray(values) || values.length < expected) throw new PayloadError('the bound-values token does not hold the values this function needs')
  return values
}

const revivers = new WeakMap<ResolvedHandlerOptions, ReviveReference>()

/**
 * Client-sent references become callable functions that go through the same checks when called.
 * Each is a bound function, so printing it (`${fn}`, CVE-2025-55183's way to read a server
 * function's source) shows `function () { [native code] }`, not even this wrapper's code.
 */
export function createReferenceReviver(o: ResolvedHandlerOptions): ReviveReference {
  const existing = revivers.get(o)
  if (existing) return existing
  const revive: ReviveReference = ({ id, token, bound = [] }: ReferencePayload) => {
    const call = async (...args: unknown[]) => {
      const entry = await o.resolve(id)
      if (!entry) throw new ServerFunctionError('A server function passed as an argument does not exist.', { code: 'NOT_FOUND', status: 404 })
      let serverBound: unknown[]
      try {
        serverBound = await openBound(o, id, entry, token, revive)
      } catch (error) {
        if (error instanceof PayloadError) throw new ServerFunctionError(`A server function passed as an argument was refused: ${error.message}.`, { code: 'BAD_REQUEST', status: 400 })
        throw error
      }
      return entry.fn(...serverBound, ...bound, ...args)
    }
    return mark(call.bind(null), id, null, { token, bound })
  }
  revivers.set(o, revive)
  return revive
}
