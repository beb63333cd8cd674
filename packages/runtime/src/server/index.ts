// Server entry: what transformed modules import, the handler, and the request-scoped API.
export {
  registerServerReference,
  bindServerReferenceLazily,
  installServerFunctionResolver,
  type ServerFunctionEntry,
  type ServerFunctionResolver,
} from './references/registry.js'
export { isServerReference, type ServerReference } from './references/serverReference.js'
export { handleServerFunction, functionIdFromUrl, type HandlerOptions } from './handleServerFunction.js'
export { cookies, headers, getRequest, revalidatePath, revalidateTag, runWithRequest } from './context/requestContext.js'
export { cacheTag, cachePath } from './context/dependencies.js'
export { cached, type CachedOptions } from './cache/cached.js'
export { memoryStore, type MemoryStoreOptions } from './cache/memoryStore.js'
export type { CacheStore, CacheEntry, CacheLookup, Revalidation } from './cache/cacheStore.js'
export type { EventsOptions } from './events/eventsOptions.js'
export { closeEventStreams } from './events/eventStreams.js'
export { loadQuery } from './queries/loadQuery.js'
export { redirect, isRedirectError } from './context/redirect.js'
export { checkServerKeys, type KeyOptions } from './security/keys.js'
export { configureServer, type ServerConfig } from './serverConfig.js'
export type { CookieOptions, Cookie, CookieStore } from './context/cookies.js'
export type { DecodeLimits } from './request/validatePayload.js'
export { ServerFunctionError } from '../shared/ServerFunctionError.js'
export { serverFunction } from './serverFunction.js'
export type { NotSendable, Sendable, SendableFunction, SendableResult } from '../shared/sendable.js'
export { ValidationError, isValidationError, type ValidationIssue } from '../shared/ValidationError.js'
export type { FieldErrors, FieldName, FormState, SubmittedValues } from '../shared/formTypes.js'
export {
  validated,
  validatedState,
  validate,
  type ValidatedFunction,
  type ValidatedStateFunction,
  type ValidationOptions,
} from './validation/validated.js'
export { formDataToObject, type FormDataOptions } from './validation/formDataToObject.js'
