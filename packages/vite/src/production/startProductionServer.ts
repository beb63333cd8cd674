import { createMiddleware } from '@use-server/runtime/node'
import { checkServerKeys, type EventsOptions } from '@use-server/runtime/server'
import { createServer, type Server, type ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import { shutDownGracefully } from './gracefulShutdown.js'
import { applyProductionConfig } from './productionConfig.js'
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
  events?: boolean | EventsOptions
  /** On SIGTERM or SIGINT, how long calls in flight may take to finish, in ms. Default 10 000. */
  shutdownTimeout?: number
  /** Whether the build has functions with bound values: without USE_SERVER_KEY, a warning at start. */
  bindsValues?: boolean
  /** The server config module's default export (see `ProductionConfig`). */
  config?: unknown
}

/** How soon browsers reconnect their event streams (to another instance) when this one shuts down. */
const RECONNECT_AFTER_SHUTDOWN_MS = 500

/**
 * The embedded production server (`node dist/server/index.js`): server function calls under
 * `base`, the client build for everything else. It listens on `PORT` (default 3000) and `HOST`
 * (default: all interfaces), takes its cache store, keys and hooks from the server config module,
 * and on SIGTERM or SIGINT lets calls in flight finish before it exits. A promise an app forgot to
 * handle is logged, not a reason to take the server down for everyone.
 */
export function startProductionServer(options: ProductionServerOptions): Server {
  process.on('unhandledRejection', (reason) => console.error('use-server: a promise rejected and nothing handled it (the server goes on):', reason))
  const { clientDir, bindsValues, config: configModule, shutdownTimeout, ...settings } = options
  const config = applyProductionConfig(configModule)
  checkServerKeys({ dev: false, bindsValues }).catch((error: Error) => {
    console.error(error.message)
    process.exit(1)
  })
  const { onError, onRevalidate, events = settings.events } = config
  const api = createMiddleware({ ...settings, events, onError, onRevalidate, dev: false })
  const files = serveStatic(typeof clientDir === 'string' ? clientDir : fileURLToPath(clientDir))
  // The API hands on what is not a call, and what it could not answer (an error: logged, and a 500
  // rather than the static files' 405 without a word).
  const server = createServer((req, res) => api(req, res, (error?: unknown) => (error === undefined ? files(req, res) : failed(res, error))))
  shutDownGracefully(server, {
    timeout: config.shutdownTimeout ?? shutdownTimeout ?? 10_000,
    reconnectAfter: RECONNECT_AFTER_SHUTDOWN_MS,
    close: config.cache?.close && (() => config.cache!.close!()),
  })
  const port = portFromEnvironment(process.env.PORT)
  const host = process.env.HOST || undefined
  // An IPv6 address goes in brackets, or http://::1:3000 is no URL.
  const hostInUrl = host?.includes(':') ? `[${host}]` : host
  // Without a listener, a port in use is Node's "Unhandled 'error' event" and a stack trace.
  const cannotListen = (error: NodeJS.ErrnoException) => {
    console.error(`use-server: cannot listen on ${hostInUrl ? `${hostInUrl}:${port}` : `port ${port}`}: ${LISTEN_ERRORS[error.code ?? ''] ?? error.message}`)
    process.exit(1)
  }
  server.once('error', cannotListen)
  server.listen(port, host, () => {
    server.off('error', cannotListen)
    const address = server.address()
    const shown = typeof address === 'object' && address ? address.port : port
    console.log(`use-server: listening on http://${hostInUrl ?? 'localhost'}:${shown}`)
  })
  return server
}

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is in use (another server, or an earlier one still running). Stop it, or set PORT to a free port.',
  EACCES: 'not allowed (ports below 1024 need privileges). Set PORT to a port above 1023.',
  EADDRNOTAVAIL: 'this machine has no such address. Set HOST to one of its addresses, or leave it unset for all.',
  ENOTFOUND: 'HOST is no address of this machine (nor a name that resolves to one). Set HOST to one of its addresses, or leave it unset for all.',
}

/** `PORT`, default 3000; anything but a whole number from 0 to 65535 stops the server with a message. */
function portFromEnvironment(value: string | undefined): number {
  if (value === undefined || value === '') return 3000
  const port = Number(value)
  if (/^\d+$/.test(value) && port <= 65535) return port
  console.error(`use-server: PORT must be a port number from 0 to 65535, not ${JSON.stringify(value)}.`)
  process.exit(1)
}

function failed(res: ServerResponse, error: unknown): void {
  console.error('use-server: the request could not be handled', error)
  if (res.headersSent) return void res.destroy()
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('Internal Server Error\n')
}
