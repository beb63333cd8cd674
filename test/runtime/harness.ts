import { createMiddleware } from '@use-server/runtime/node'
import type { HandlerOptions } from '@use-server/runtime/server'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TestServer {
  origin: string
  base: string
  server: Server
  close(): Promise<void>
}

/** A real node:http server on loopback answering server function calls through the Node adapter. */
export async function startServer(options: HandlerOptions = {}): Promise<TestServer> {
  const middleware = createMiddleware(options)
  const server = createServer((req, res) => middleware(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    origin,
    base: `${origin}${options.base ?? '/_server'}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A raw POST, for requests the client runtime would never make. */
export function post(url: string, body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }, method = 'POST') {
  return fetch(url, { method, body, headers })
}
