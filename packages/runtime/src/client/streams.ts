import type { readStream } from './readStream.js'

/**
 * How this page reads a streamed answer (an async generator's values), once a module that streams
 * asks for it (`enableStreams`): pages that never stream do not carry the reader.
 */
export const streams: { read?: typeof readStream } = ((globalThis as Record<symbol, { read?: typeof readStream }>)[Symbol.for('use-server.streams')] ??= {})
