import type { ReferencePayload } from '../shared/protocol.js'
import { callServer } from './callServer.js'

export interface CallOptions {
  /** Aborts the call: the promise rejects with the signal's reason and the server sees the request end. */
  signal?: AbortSignal
  /** Run this call without waiting for earlier ones (and without holding up later ones). */
  parallel?: boolean
}

/** A server function as the browser sees it: call it, bind it, pass it to another server function. */
export type ServerFunction<Args extends unknown[] = any[], Result = any> = ((...args: Args) => Promise<Result>) & {
  bind(thisArg: unknown, ...values: unknown[]): ServerFunction
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

export function createStub(reference: ClientReference): ServerFunction {
  const stub = ((...args: unknown[]) => callServer(reference, [...reference.bound, ...args])) as ServerFunction
  // Values bound here are ordinary arguments: the server treats them as untrusted input.
  stub.bind = (_thisArg, ...values) => createStub({ ...reference, bound: [...reference.bound, ...values] })
  Object.defineProperty(stub, 'name', { value: reference.name })
  references.set(stub, reference)
  return stub
}

/** A stub that calls the server function `id`. The transform emits these; apps rarely call it. */
export function createServerReference(id: string, name: string): ServerFunction {
  return createStub({ id, name, bound: [] })
}

/** The same server function, called with `options` (an AbortSignal, parallel dispatch). */
export function withOptions<F extends Function>(fn: F, options: CallOptions): F {
  const reference = references.get(fn)
  if (!reference) throw new TypeError('withOptions() expects a server function imported from a \'use server\' module.')
  return createStub({ ...reference, options: { ...reference.options, ...options } }) as unknown as F
}
