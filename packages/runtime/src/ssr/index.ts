// Server-side rendering with React: forms that work without JavaScript, and one request handler.
export { createRequestHandler, type RenderContext, type RequestHandlerOptions } from './createRequestHandler.js'
export { decodeFormAction, type FormActionOutcome, type ReactFormState } from './decodeFormAction.js'
export { clientDataScript, type ClientData } from './clientDataScript.js'
