// Browser entry: no React, no Node. Everything a page needs to call server functions.
export { configure, type ClientConfig } from './config.js'
export { createServerReference, withOptions, type CallOptions, type ServerFunction } from './references.js'
export { ServerFunctionError } from '../shared/ServerFunctionError.js'
export { ValidationError, isValidationError, type ValidationIssue } from '../shared/ValidationError.js'
export type { FieldErrors, FieldName, FormState, SubmittedValues } from '../shared/formTypes.js'
export { UnsupportedValueError } from '../codec/writeDevalue.js'
