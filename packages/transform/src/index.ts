export { transformServerFunctions } from './transformServerFunctions.js'
export { createServerFunctionId, toModulePath } from './ids/createServerFunctionId.js'
export { TransformError, type ErrorLocation, type TransformErrorCode } from './errors/TransformError.js'
export type { ServerFunctionInfo, TransformOptions, TransformResult, TransformTarget } from './types.js'
