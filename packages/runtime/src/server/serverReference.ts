// What a server reference is, apart from how one is made (registry.ts): the encoder needs to know
// one when it meets it, and importing the registry for that would make an import cycle.
import type { encodeFormAction, isSignatureEqual } from './formAction.js'

/** React's marker for server references; react-dom reads `$$FORM_ACTION` off such functions. */
export const SERVER_REFERENCE = Symbol.for('react.server.reference')

/** A function that can cross the wire as a reference: registered, bound, or revived from a client. */
export interface ServerReference extends Function {
  $$typeof: typeof SERVER_REFERENCE
  $$id: string
  /** Form fields for react-dom/server, so forms work without JavaScript. */
  $$FORM_ACTION: typeof encodeFormAction
  $$IS_SIGNATURE_EQUAL: typeof isSignatureEqual
  /** Values bound on the server; they travel encrypted. */
  $$bound: unknown[] | null
  /** For a reference revived from a request: the token and client-bound values it arrived with. */
  $$remote?: { token?: string; bound: unknown[] }
}

export function isServerReference(value: unknown): value is ServerReference {
  return typeof value === 'function' && (value as Partial<ServerReference>).$$typeof === SERVER_REFERENCE
}
