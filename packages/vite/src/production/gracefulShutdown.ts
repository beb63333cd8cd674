import { closeEventStreams } from '@use-server/runtime/server'
import type { Server, ServerResponse } from 'node:http'

export interface ShutdownOptions {
  /** Longest wait for calls in flight, in ms. */
  timeout: number
  /** What browsers' event streams are told: reconnect after this many ms (to another instance). */
  reconnectAfter: number
  /** Closes what else the process holds open (the cache store's connections). */
  close?: () => Promise<void>
}

/** Longest wait for the cache store to close its connections: a store that hangs must not keep the process. */
const CLOSE_STORE_MS = 5000

/**
 * On SIGTERM or SIGINT: stop accepting connections, close idle keep-alive ones, end event streams
 * with a reconnection hint, let requests in flight finish (each answered with `Connection: close`),
 * then close the rest and exit 0. Past `timeout`, the requests still running are cut. A second
 * signal exits at once.
 */
export function shutDownGracefully(server: Server, options: ShutdownOptions): void {
  const inFlight = new Set<ServerResponse>()
  let stopping = false
  server.on('request', (_req, res: ServerResponse) => {
    inFlight.add(res)
    if (stopping && !res.headersSent) res.setHeader('connection', 'close')
    res.once('close', () => {
      inFlight.delete(res)
      if (stopping) maybeDone()
    })
  })

  let finish: (() => void) | undefined
  const maybeDone = () => inFlight.size === 0 && finish?.()

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.log(`use-server: ${signal} again: exiting now.`)
      process.exit(1)
    }
    stopping = true
    const seconds = options.timeout / 1000
    server.close()
    closeEventStreams({ retry: options.reconnectAfter })
    for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close')
    server.closeIdleConnections()
    console.log(`use-server: ${signal}: no new connections; finishing ${inFlight.size} request${inFlight.size === 1 ? '' : 's'} in flight (at most ${seconds} s), then exiting.`)
    const done = new Promise<void>((resolve) => (finish = resolve))
    const timer = setTimeout(() => {
      if (inFlight.size > 0) console.warn(`use-server: ${inFlight.size} request${inFlight.size === 1 ? '' : 's'} still running after ${seconds} s (shutdownTimeout): closing them.`)
      finish?.()
    }, options.timeout)
    maybeDone()
    void done.then(async () => {
      clearTimeout(timer)
      server.closeAllConnections()
      if (options.close) await closeWithin(options.close, CLOSE_STORE_MS)
      console.log('use-server: stopped.')
      process.exit(0)
    })
  }
  process.on('SIGTERM', stop).on('SIGINT', stop)
}

async function closeWithin(close: () => Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.warn(`use-server: closing the cache store took longer than ${ms / 1000} s; exiting without it.`)
      resolve()
    }, ms)
  })
  await Promise.race([close().catch((error: unknown) => console.error('use-server: closing the cache store failed', error)), late])
  clearTimeout(timer)
}
