import { STREAM_CONTENT_TYPE, type Envelope } from '../../shared/protocol.js'
import type { Answer } from './answer.js'
import { runInContext, type RequestContext } from '../context/requestContext.js'

export interface StreamHooks {
  /** Serializes one line's envelope (refusing files). */
  encode: (envelope: Envelope) => Promise<string>
  /** Turns a thrown error (or redirect) into the last line's envelope. */
  fail: (error: unknown) => Envelope
  /** Adds the call's effects (revalidations, refreshed queries) to the last line. */
  complete: (last: Envelope) => Envelope | Promise<Envelope>
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
}

/**
 * Streams the values of an async generator server function, one envelope per line, pulling the
 * next value only when the client has taken the last (backpressure). The headers leave with the
 * first value, so cookies must be set before the first `yield`; a client that goes away stops the
 * generator.
 */
export async function streamResult(iterable: AsyncIterable<unknown>, context: RequestContext, hooks: StreamHooks, headers: () => Answer['headers']): Promise<Answer> {
  const iterator = iterable[Symbol.asyncIterator]()
  const encoder = new TextEncoder()

  /** The next line: a value, or the last line (return value, error or redirect). */
  const nextLine = async (): Promise<{ line: string; done: boolean }> => {
    let envelope: Envelope
    try {
      const step = await runInContext(context, () => iterator.next())
      envelope = { value: step.value, done: step.done === true }
    } catch (error) {
      envelope = { ...hooks.fail(error), done: true }
    }
    try {
      return { line: await hooks.encode(envelope.done ? await hooks.complete(envelope) : envelope), done: envelope.done === true }
    } catch (error) {
      void iterator.return?.(undefined)
      return { line: await hooks.encode(await hooks.complete({ ...hooks.fail(error), done: true })), done: true }
    }
  }

  let pending: Promise<{ line: string; done: boolean }> | undefined = nextLine()
  await pending
  context.cookies.seal('a streaming server function already sent its response headers; set cookies before the first yield')
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { line, done } = await (pending ?? nextLine())
      pending = undefined
      controller.enqueue(encoder.encode(line + '\n'))
      if (done) controller.close()
    },
    async cancel() {
      await iterator.return?.(undefined)
    },
  })
  return { status: 200, headers: [...headers(), ['content-type', STREAM_CONTENT_TYPE]], body }
}
