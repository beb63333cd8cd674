// What a client reference is, apart from how a stub calls it (references.ts): the request encoder
// and the call itself need to know one without importing the code that makes stubs.
import { REFERENCE_TAG } from '../codec/devalueFormat.js'
import type { ReferencePayload } from '../shared/protocol.js'

export interface CallOptions {
  /** Aborts the call: the promise rejects with the signal's reason and the server sees the request end. */
  signal?: AbortSignal
  /** Run this call without waiting for earlier ones (and without holding up later ones). */
  parallel?: boolean
}

export interface ClientReference extends ReferencePayload {
  name: string
  bound: unknown[]
  options?: CallOptions
}

const references = new WeakMap<Function, ClientReference>()

/** The reference behind a stub, or undefined for any other function. */
export function referenceOf(fn: Function): ClientReference | undefined {
  return references.get(fn)
}

/** A stub as it travels in a payload, `[REFERENCE_TAG, { id, token, bound }]`; undefined for any other value. */
export function referenceTag(value: unknown): [string, ReferencePayload] | undefined {
  const reference = typeof value === 'function' ? references.get(value) : undefined
  return reference && [REFERENCE_TAG, { id: reference.id, token: reference.token, bound: reference.bound }]
}

/** Records `stub` as the callable form of `reference`. */
export function setReferenceOf(stub: Function, reference: ClientReference): void {
  references.set(stub, reference)
}
