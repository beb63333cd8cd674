import { createMiddleware } from '@use-server/runtime/node'
import { checkServerKeys } from '@use-server/runtime/server'
import { createServer, type Server, type ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import { serveStatic } from './serveStatic.js'

export interface ProductionServerOptions {
  /** The client build to serve. */
  clientDir: string | URL
  base?: string
  allowedOrigins?: string[]
  trustProxy?: boolean
  bodyLimit?: number
  bodyTimeout?: number
  timeout?: number
  /** Whether the build has functions with bound values: without USE_SERVER_KEY, a warning at start. */
  bindsValues?: boolean
}

/**
 * The embedded production server (`node dist/server/index.js`): server function calls under
 * `base`, the client build for everything else. It listens on `PORT` (default 3000) and `HOST`
 * (default: all interfaces). A promise an app forgot to handle is logged, not a reason to take the
 * server down for everyone.
 */
export function startProductionServer(options: ProductionServerOptions): Server {
  process.on('unhandledRejection', (reason) => console.error('use-server: a promise rejected and nothing handled it (the server goes on):', reason))
  const { clientDir, bindsValues, ...settings } = options
  checkServerKeys({ dev: false, bindsValues }).catch((error: Error) => {
    console.error(error.message)
    process.exit(1)
  })
  const api = createMiddleware({ ...settings, dev: false })
  const files = serveStatic(typeof clientDir === 'string' ? clientDir : fileURLToPath(clientDir))
  // The API hands on what is not a call, and what it could not answer (an error: logged, and a 500
  // rather than the static files' 405 without a word).
  const server = createServer((req, res) => api(req, res, (error?: unknown) => (error === undefined ? files(req, res) : failed(res, error))))
  const port = Number(process.env.PORT ?? 3000)
  const host = process.env.HOST
  server.listen(port, host, () => {
    const address = server.address()
    const shown = typeof address === 'object' && address ? address.port : port
    console.log(`use-server: listening on http://${host ?? 'localhost'}:${shown}`)
  })
  return server
}

function failed(res: ServerResponse, error: unknown): void {
  console.error('use-server: the request could not be handled', error)
  if (res.headersSent) return void res.destroy()
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('Internal Server Error\n')
}
