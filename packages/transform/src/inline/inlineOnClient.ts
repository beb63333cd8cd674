import { serverFunctionLabel } from './checkInlineFunction.js'
import { transformErrorAt } from '../errors/TransformError.js'
import type { InlineFunction } from './scopes.js'

/**
 * The error for an inline 'use server' in a module compiled for the browser: its hoisted code and
 * captured values would ship to the client, and there is no server module to register it in.
 */
export function inlineOnClient(fn: InlineFunction, code: string, id: string) {
  return transformErrorAt(
    'INLINE_ON_CLIENT',
    `${serverFunctionLabel(fn)} is declared inline ('use server' in its body) in a module compiled for the browser. Inline server functions only live in modules the server loads (server components, loaders, 'use server' files), where their code and captured values stay. Move it to a 'use server' file and import it here, or create it in server code (a server function can return it) and pass it to this module.`,
    code,
    id,
    fn.directive.loc!.start,
  )
}
