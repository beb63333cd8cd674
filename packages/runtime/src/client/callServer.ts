import { ServerFunctionError } from '../shared/ServerFunctionError.js'
import { JSON_CONTENT_TYPE, STREAM_CONTENT_TYPE } from '../shared/protocol.js'
import { applyEffects } from './applyEffects.js'
import { enqueue } from './callQueue.js'
import { config } from './config.js'
import { decodeResponse } from './decodeResponse.js'
import { encodeRequest } from './encodeRequest.js'
import { readStream } from './readStream.js'
import type { ClientReference } from './clientReference.js'
import type { AnswerRevivers } from './revivers.js'

/**
 * Calls a server function: one call at a time unless the call or the page opted into parallel.
 * `revivers` turns custom types in the answer (files, server functions) back into values.
 */
export function callServer(reference: ClientReference, args: unknown[], revivers: AnswerRevivers): Promise<unknown> {
  const { signal, parallel = config.parallel } = reference.options ?? {}
  const send = () => post(reference, args, signal, revivers)
  return parallel ? send() : enqueue(send, signal)
}

async function post(reference: ClientReference, args: unknown[], signal: AbortSignal | undefined, revivers: AnswerRevivers): Promise<unknown> {
  const body = encodeRequest(args, reference.token)
  const headers = new Headers(typeof config.headers === 'function' ? config.headers() : config.headers)
  if (typeof body === 'string') headers.set('content-type', JSON_CONTENT_TYPE)
  let response: Response
  try {
    response = await config.fetch(`${config.base}/${reference.id}`, { method: 'POST', body, headers, signal, credentials: 'same-origin' })
  } catch (cause) {
    if (signal?.aborted) throw signal.reason
    throw new ServerFunctionError('Could not reach the server: the network is down or the server is restarting. Try again.', { code: 'NETWORK', status: 0, cause })
  }
  // A stream releases the queue as soon as it starts: its values arrive while the page goes on.
  if (response.headers.get('content-type')?.startsWith(STREAM_CONTENT_TYPE)) return readStream(response, revivers(undefined))
  return applyEffects(await decodeResponse(response, revivers))
}
