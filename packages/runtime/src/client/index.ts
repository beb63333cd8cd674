// Browser entry: no React, no Node. Everything a page needs to call server functions.
export { configure, type ClientConfig } from './config.js'
export { createServerReference, withOptions, type CallOptions, type ServerFunction } from './references.js'
export { ServerFunctionError } from '../shared/ServerFunctionError.js'
export { UnsupportedValueError } from '../codec/writeDevalue.js'
export { query, pageData } from './queries/query.js'
export type { QuerySnapshot, QueryStore, QueryListener } from './queries/queryCache.js'
export type { NotSendable, Sendable, SendableFunction, SendableResult } from '../shared/sendable.js'
