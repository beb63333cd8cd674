import { REFERENCE_TAG } from '../../codec/devalueFormat.js'
import { writeDevalue } from '../../codec/writeDevalue.js'
import type { ReferencePayload } from '../../shared/protocol.js'
import { referenceTag, type ClientReference } from '../clientReference.js'

/**
 * A query as the server runs it again: the server function reference with the query's arguments
 * bound to it, in devalue's format. The same for equal arguments, so it is also the query's key.
 * Queries take data: a File, a Blob or FormData cannot be part of what identifies one.
 */
export function queryCall(reference: ClientReference, args: unknown[]): string {
  const root: ReferencePayload = { id: reference.id, token: reference.token, bound: [...reference.bound, ...args] }
  return writeDevalue(
    root,
    (value) => {
      if (value instanceof Blob || value instanceof FormData) throw new TypeError('A query takes data arguments: a File, a Blob or FormData cannot identify it.')
      return value === root ? [REFERENCE_TAG, { ...root }] : referenceTag(value)
    },
    'query',
  )
}
