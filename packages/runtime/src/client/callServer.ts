import { ServerFunctionError } from '../shared/ServerFunctionError.js'
import { JSON_CONTENT_TYPE, QUERIES_HEADER, STREAM_CONTENT_TYPE } from '../shared/protocol.js'
import { applyEffects, LEAVING } from './applyEffects.js'
import { enqueue } from './callQueue.js'
import type { ClientReference } from './clientReference.js'
import { config } from './config.js'
import { decodeResponse } from './decodeResponse.js'
import { encodeRequest } from './encodeRequest.js'
import type { AnswerRevivers } from './revivers.js'
import { singleFlight } from './singleFlight.js'
import { streams } from './streams.js'

/**
 * Calls a server function: one call at a time unless the call or the page opted into parallel.
 * `revivers` turns custom types in the answer (files, server functions) back into values.
 */
export function callServer(reference: ClientReference, args: unknown[], revivers: AnswerRevivers): Promise<unknown> {
  const { signal, parallel = config.parallel } = reference.options ?? {}
  const send = () => post(reference, args, signal, revivers)
  // A redirect that leaves the page frees the queue, but the caller never hears back: nothing renders
  // a result for a page on its way out.
  return (parallel ? send() : enqueue(send, signal)).then((value) => (value === LEAVING ? new Promise<never>(() => {}) : value))
}

async function post(reference: ClientReference, args: unknown[], signal: AbortSignal | undefined, revivers: AnswerRevivers): Promise<unknown> {
  // The page's queries travel with the call: what it revalidates comes back fresh in the same answer.
  const flight = singleFlight.current?.live()
  const response = await fetchAnswer(reference.id, encodeRequest(args, reference.token), signal, flight?.header)
  // A stream releases the queue as soon as it starts: its values arrive while the page goes on.
  if (response.headers.get('content-type')?.startsWith(STREAM_CONTENT_TYPE)) {
    if (!streams.read) throw new ServerFunctionError("To read a streamed answer, call enableStreams() from '@use-server/runtime/client'.", { code: 'BAD_RESPONSE', status: response.status })
    return streams.read(response, revivers(undefined), flight?.sent)
  }
  return applyEffects(await decodeResponse(response, revivers), response.status, flight?.sent)
}

/** POSTs to `<base>/<segment>`; a request that never reaches the server is a NETWORK error. */
export async function fetchAnswer(segment: string, body: string | FormData, signal?: AbortSignal, queries?: string): Promise<Response> {
  const headers = new Headers(typeof config.headers === 'function' ? config.headers() : config.headers)
  if (typeof body === 'string') headers.set('content-type', JSON_CONTENT_TYPE)
  if (queries) headers.set(QUERIES_HEADER, queries)
  try {
    return await config.fetch(`${config.base}/${segment}`, { method: 'POST', body, headers, signal })
  } catch (cause) {
    if (signal?.aborted) throw signal.reason
    throw new ServerFunctionError('Could not reach the server (offline, or restarting?). Try again.', { code: 'NETWORK', status: 0, cause })
  }
}
