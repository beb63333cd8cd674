import { ServerFunctionError } from '../shared/ServerFunctionError.js'
import type { Revivers } from '../codec/readDevalue.js'
import { applyEffects } from './applyEffects.js'
import { readEnvelope } from './decodeResponse.js'

/** The values of a server async generator, as they arrive: one envelope per line. */
export async function* readStream(response: Response, revivers: Revivers, sent?: readonly unknown[]): AsyncGenerator<unknown, unknown> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffered = ''
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      buffered += value
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const envelope = readEnvelope(buffered.slice(0, newline), revivers, response.status)
        buffered = buffered.slice(newline + 1)
        const item = applyEffects(envelope, response.status, envelope.done ? sent : undefined)
        if (envelope.done) return item
        yield item
      }
    }
  } finally {
    reader.cancel().catch(() => {})
  }
  throw new ServerFunctionError('The server stopped streaming before the end (connection lost?).', { code: 'NETWORK', status: response.status })
}
