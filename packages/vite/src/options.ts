import type { FilterPattern } from '@rollup/pluginutils'
import type { EventsOptions } from '@use-server/runtime/server'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

export interface UseServerOptions {
  /** Modules to compile. Default: every `.js`, `.jsx`, `.ts`, `.tsx`, `.mjs`, `.mts`, `.cjs`, `.cts` file, node_modules included. */
  include?: FilterPattern
  /** Modules never to compile. Default: none. */
  exclude?: FilterPattern
  /** Path of the endpoint; a call goes to `<base>/<id>`. Default `/_server`. */
  base?: string
  /** Mixed into every function id; change it to invalidate every id of a deployment. Default: `USE_SERVER_SALT` or none. */
  salt?: string
  /** Origins allowed to call besides the page's own (behind a proxy that rewrites Host, say). Default none. */
  allowedOrigins?: string[]
  /**
   * The server runs behind a proxy that sets `X-Forwarded-Proto` and `X-Forwarded-Host` to the public
   * origin (the cross-site check compares against it). Only when the proxy always overwrites them. Default false.
   */
  trustProxy?: boolean
  /** Largest request body in bytes. Default 1 MB. */
  bodyLimit?: number
  /** Longest time to receive a request body, in ms (a slow upload gets a 408). Default 10 000. */
  bodyTimeout?: number
  /** Longest time a function may run, in ms, before the client gets a 504 (code TIMEOUT). Default: no limit. */
  timeout?: number
  /**
   * The environment whose module runner loads server functions in development, and whose build
   * gets the registry. Default `ssr`.
   */
  serverEnvironment?: string
  /**
   * Build a standalone production server (`node dist/server/index.js`) serving the client build and
   * the functions. Default: on, unless the app builds its own SSR entry.
   */
  embeddedServer?: boolean
  /** Where the embedded server is written. Default `dist/server`. */
  serverOutDir?: string
  /** Outside Vite (plain Rollup), the target to compile for. In Vite each environment decides. */
  target?: 'client' | 'server'
  /**
   * Push revalidations to open browsers: `GET <base>/$events` (server-sent events) in development,
   * `vite preview` and the embedded server; pages opt in with `connectRevalidations()`. Default false.
   */
  events?: boolean | EventsOptions
  /**
   * The server config module of the embedded server and `vite preview`: its default export sets the
   * cache store, keys, `onError`, `onRevalidate`, `events` and `shutdownTimeout` (see
   * `ProductionConfig`). Default: `src/server.config.{ts,mts,js,mjs}` when it exists; `false` for none.
   */
  serverConfig?: string | false
  /** On SIGTERM or SIGINT, how long the embedded server lets calls in flight finish, in ms. Default 10 000. */
  shutdownTimeout?: number
}

export interface ResolvedOptions {
  include: FilterPattern
  exclude: FilterPattern
  base: string
  salt: string
  allowedOrigins: string[]
  trustProxy: boolean
  bodyLimit: number
  bodyTimeout: number | undefined
  timeout: number | undefined
  serverEnvironment: string
  embeddedServer: boolean | undefined
  serverOutDir: string
  target: 'client' | 'server' | undefined
  events: boolean | EventsOptions
  /** The server config module's path as given (resolved against the root when the build starts), or false. */
  serverConfig: string | false | undefined
  shutdownTimeout: number
}

export const DEFAULT_BASE = '/_server'

/** The options the runtime's handler takes, as the dev middleware and the production server pass them on. */
export function handlerSettings({ base, allowedOrigins, trustProxy, bodyLimit, bodyTimeout, timeout, events }: ResolvedOptions) {
  return { base, allowedOrigins, trustProxy, bodyLimit, bodyTimeout, timeout, events }
}

const CONFIG_CANDIDATES = ['src/server.config.ts', 'src/server.config.mts', 'src/server.config.js', 'src/server.config.mjs']

/** The server config module of an app at `root`: the option's file (which must exist), else the first default found, else none. */
export function serverConfigFile(options: ResolvedOptions, root: string): string | undefined {
  if (options.serverConfig === false) return undefined
  if (options.serverConfig !== undefined) {
    const file = resolve(root, options.serverConfig)
    if (!existsSync(file)) throw new Error(`use-server: serverConfig points at ${file}, which does not exist.`)
    return file
  }
  return CONFIG_CANDIDATES.map((candidate) => resolve(root, candidate)).find((file) => existsSync(file))
}

export function resolveOptions(options: UseServerOptions): ResolvedOptions {
  if (options.shutdownTimeout !== undefined && !(typeof options.shutdownTimeout === 'number' && options.shutdownTimeout >= 0)) {
    throw new Error(`use-server: shutdownTimeout must be a number of ms ≥ 0, not ${JSON.stringify(options.shutdownTimeout)}.`)
  }
  if (options.serverConfig !== undefined && options.serverConfig !== false && typeof options.serverConfig !== 'string') throw new Error('use-server: serverConfig must be a path or false.')
  const base = '/' + (options.base ?? DEFAULT_BASE).replace(/^\/+|\/+$/g, '')
  if (!/^\/[A-Za-z0-9._~\-/]+$/.test(base)) throw new Error(`use-server: base must be a URL path such as "/_server", not ${JSON.stringify(options.base)}.`)
  return {
    include: options.include ?? /\.[cm]?[jt]sx?$/,
    exclude: options.exclude ?? null,
    base,
    salt: options.salt ?? process.env.USE_SERVER_SALT ?? '',
    allowedOrigins: options.allowedOrigins ?? [],
    trustProxy: options.trustProxy ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    bodyTimeout: options.bodyTimeout,
    timeout: options.timeout,
    serverEnvironment: options.serverEnvironment ?? 'ssr',
    embeddedServer: options.embeddedServer,
    serverOutDir: options.serverOutDir ?? 'dist/server',
    target: options.target,
    events: options.events ?? false,
    serverConfig: options.serverConfig,
    shutdownTimeout: options.shutdownTimeout ?? 10_000,
  }
}
