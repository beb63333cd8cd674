// What a server reference is, apart from how one is made (registry.ts) or encoded into a form
// (formAction.ts): the encoder needs to know one when it meets it, without importing either.

/** React's marker for server references; react-dom reads `$$FORM_ACTION` off such functions. */
export const SERVER_REFERENCE = Symbol.for('react.server.reference')

/** What react-dom/server asks of a server reference to render `<form action>` and `<button formAction>`. */
export interface FormActionFields {
  name: string
  method: 'POST'
  encType: 'multipart/form-data'
  data?: FormData
}

/** A function that can cross the wire as a reference: registered, bound, or revived from a client. */
export interface ServerReference extends Function {
  $$typeof: typeof SERVER_REFERENCE
  $$id: string
  /** Form fields for react-dom/server, so forms work without JavaScript. */
  $$FORM_ACTION: (this: ServerReference, prefix: string) => FormActionFields
  $$IS_SIGNATURE_EQUAL: (this: ServerReference, id: string, boundCount: number) => boolean
  /** Values bound on the server; they travel encrypted. */
  $$bound: unknown[] | null
  /** For a reference revived from a request: the token and client-bound values it arrived with. */
  $$remote?: { token?: string; bound: unknown[] }
}

export function isServerReference(value: unknown): value is ServerReference {
  return typeof value === 'function' && (value as Partial<ServerReference>).$$typeof === SERVER_REFERENCE
}
