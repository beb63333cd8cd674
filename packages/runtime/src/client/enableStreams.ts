import { readStream } from './readStream.js'
import { streams } from './streams.js'

/**
 * Lets this page read streamed answers (async generator server functions). The stubs of a
 * 'use server' module that exports an `async function*` call it; call it yourself once when a
 * server function hands the page an inline streaming function the page's modules do not import.
 */
export function enableStreams(): void {
  streams.read = readStream
}
