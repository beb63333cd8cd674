import { callServer } from './callServer.js'
import { setReferenceOf, referenceOf, type CallOptions, type ClientReference } from './clientReference.js'
import { clientRevivers, type AnswerRevivers } from './revivers.js'

export type { CallOptions } from './clientReference.js'

/** A server function as the browser sees it: call it, bind it, pass it to another server function. */
export type ServerFunction<Args extends unknown[] = any[], Result = any> = ((...args: Args) => Promise<Result>) & {
  bind(thisArg: unknown, ...values: unknown[]): ServerFunction
}

// Server functions in an answer become stubs too; the revivers are handed to the call, not imported
// by it, so calling and reviving do not import each other.
export const reviversFor: AnswerRevivers = (files) => clientRevivers(files, createStub)

export function createStub(reference: ClientReference): ServerFunction {
  const stub = ((...args: unknown[]) => callServer(reference, [...reference.bound, ...args], reviversFor)) as ServerFunction
  // Values bound here are ordinary arguments: the server treats them as untrusted input.
  stub.bind = (_thisArg, ...values) => createStub({ ...reference, bound: [...reference.bound, ...values] })
  Object.defineProperty(stub, 'name', { value: reference.name })
  setReferenceOf(stub, reference)
  return stub
}

/** A stub that calls the server function `id`. The transform emits these; apps rarely call it. */
export function createServerReference(id: string, name: string): ServerFunction {
  return createStub({ id, name, bound: [] })
}

/** The same server function, called with `options` (an AbortSignal, parallel dispatch). */
export function withOptions<F extends Function>(fn: F, options: CallOptions): F {
  const reference = referenceOf(fn)
  if (!reference) throw new TypeError('withOptions() expects a server function imported from a \'use server\' module.')
  return createStub({ ...reference, options: { ...reference.options, ...options } }) as unknown as F
}
