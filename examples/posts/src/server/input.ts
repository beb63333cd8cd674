import { ServerFunctionError } from '@use-server/runtime/server'

// A server function is a public endpoint: its arguments are whatever a client sent, whatever their
// TypeScript types say. A wrong shape is answered as the client's mistake (a 400 with the reason),
// never left to fail deeper down as a 500.

/** The fields of a form; anything else is refused. */
export function formFields(value: unknown): FormData {
  if (!(value instanceof FormData)) throw new ServerFunctionError('Send the form’s fields.', { code: 'VALIDATION' })
  return value
}

/** A post id: a positive whole number. */
export function postId(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new ServerFunctionError('Which post? Give its id.', { code: 'VALIDATION' })
  return value
}
