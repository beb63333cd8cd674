// Server entry: what transformed modules import, the handler, and the request-scoped API.
export {
  registerServerReference,
  bindServerReferenceLazily,
  installServerFunctionResolver,
  type ServerFunctionEntry,
  type ServerFunctionResolver,
} from './registry.js'
export { isServerReference, type ServerReference } from './serverReference.js'
export { handleServerFunction, functionIdFromUrl, type HandlerOptions } from './handleServerFunction.js'
export { cookies, headers, getRequest, revalidatePath, revalidateTag, runWithRequest } from './requestContext.js'
export { redirect, isRedirectError } from './redirect.js'
export { checkServerKeys, type KeyOptions } from './keys.js'
export type { CookieOptions, Cookie, CookieStore } from './cookies.js'
export type { DecodeLimits } from './validatePayload.js'
export { ServerFunctionError } from '../shared/ServerFunctionError.js'
