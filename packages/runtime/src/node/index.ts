// Node adapter: the Fetch API handler on node:http, Connect and Express.
export { createMiddleware, type NodeMiddleware } from './createMiddleware.js'
export { toWebRequest } from './toWebRequest.js'
export { sendWebResponse } from './sendWebResponse.js'
export { toNodeListener, type FetchHandler, type NodeListener, type NodeListenerOptions } from './toNodeListener.js'
