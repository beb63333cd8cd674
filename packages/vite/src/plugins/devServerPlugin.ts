import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerFunctionResolver } from '@use-server/runtime/server'
import type { Plugin } from 'vite'
import { clientRuntimeSpecifier } from '../compileModule.js'
import type { CallLog } from '../dev/callLog.js'
import { loadDevRuntime, publishDevResolver } from '../dev/devRuntimeModules.js'
import { REGISTRY_MODULE } from '../runtimeModules.js'
import { handlerSettings } from '../options.js'
import type { PluginState } from '../state.js'

const VITE_CLIENT = '/@vite/client'

let devServerParts: Promise<typeof import('../dev/devServerParts.js')> | undefined
/** The dev server's parts (one file), loaded once per process; never in a build's process. */
const loadDevServerParts = () => (devServerParts ??= import('../dev/devServerParts.js'))

/**
 * Serves `<base>/<id>` in `vite` and `vite dev` (middleware mode too), ahead of Vite's own
 * middlewares; `GET <base>`, the inspector; and puts compile errors in front of the developer.
 */
export function devServerPlugin(state: PluginState): Plugin {
  let closeDevServer = () => {}
  return {
    name: 'use-server:dev-server',
    apply: 'serve',
    // `server.close()` ends each environment's plugins: the event streams end and the resolver goes,
    // in middleware mode too (no HTTP server of Vite's to watch)
    buildEnd() {
      closeDevServer()
    },
    config(_config, env) {
      // Started while Vite sets the server up (as the runtime, see runtimePlugin); awaited below.
      if (!env.isPreview) loadDevServerParts().catch(() => {})
    },
    async configureServer(server) {
      const {
        CallLog,
        CompileErrors,
        createDevResolver,
        serverRunner,
        usesSsrLoadModule,
        answerWithOverlayOnFailure,
        errorPageHtml,
        isPageNavigation,
        followQuickSaves,
        createInspector,
        FunctionScanner,
      } = await loadDevServerParts()
      const settings = handlerSettings(state.options)
      const { base } = settings
      const root = server.config.root
      const viteRunner = await import('vite/module-runner').catch(() => undefined) // loaded with Vite already

      const errors = (state.compileErrors = new CompileErrors(server, state.options.serverEnvironment))
      errors.quietenLogger(server.config.logger)
      server.environments.client.hot.on('vite:client:connect', (_payload, client) => errors.replayTo(client))

      const calls = new CallLog(root)
      const devResolver = createDevResolver(server, state, viteRunner)
      let closed = false
      let uninstall = () => {}
      let unpublish = () => {}
      // The runtime loads while the server starts (see loadDevRuntime): calls wait for it, `listen()` does not.
      const handling = loadDevRuntime().then(({ server: { installServerFunctionResolver, isRedirectError }, node: { createMiddleware } }) => {
        const resolve: ServerFunctionResolver = async (id) => {
          const entry = await devResolver(id)
          const mapStack = usesSsrLoadModule(server, state.options.serverEnvironment) ? (error: Error) => server.ssrFixStacktrace(error) : undefined
          return entry && { ...entry, fn: calls.observe(entry.fn, isRedirectError, mapStack) }
        }
        // An app's own SSR entry calling handleServerFunction(request) in development finds functions
        // too, and its handlers send error details: this process is a development server. Installed
        // before any server module can import the runtime (their imports wait for `devServerReady`).
        if (!closed) {
          uninstall = installServerFunctionResolver(resolve, { development: true })
          const published = publishDevResolver(resolve)
          state.devResolverKey = published.key
          unpublish = published.unpublish
        }
        return createMiddleware({ ...settings, resolve, dev: true })
      })
      state.devServerReady = handling
      handling.catch((error: unknown) => server.config.logger.error(`[use-server] could not load the server runtime: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`))

      const inspector = createInspector({
        root,
        base,
        clientRuntimeUrl: browserUrl(clientRuntimeSpecifier(state), server.config.base),
        functions: () => state.catalog.entries(),
        calls,
        errors,
      })
      state.catalog.onChange(inspector.changed)
      const stopFollowingSaves = followQuickSaves(server, state.options.serverEnvironment)
      closeDevServer = () => {
        closed = true
        stopFollowingSaves()
        uninstall()
        unpublish()
        inspector.close()
      }
      server.httpServer?.once('close', closeDevServer)

      // Every function is known before the first page loads; the server environment's module runner
      // takes a while to start, so it starts while the browser is still loading the page.
      const scanner = (state.scanner = new FunctionScanner(state, server, errors))
      const scanning = scanner.start().catch((error: unknown) => server.config.logger.error(`[use-server] could not read the app's files for server functions: ${String(error)}`))
      // Not before the runtime is in: Vite's runner turns on Node's source maps, whose maps Node then
      // reads for every module it loads.
      const warmUp = () => serverRunner(server, state.options.serverEnvironment, viteRunner)?.import(REGISTRY_MODULE)
      server.httpServer?.once('listening', () => void handling.then(warmUp).catch(() => {}))

      /**
       * What a call waits for: the runtime; the scan, for an id it has yet to find (the server has just
       * started); and with `preload`, its function's module, loaded before the call enters its async
       * context: entering an AsyncLocalStorage turns on Node 20's promise hooks for the whole process,
       * which cost the first compile of the module ~35 ms of CPU. Never for what may be a cross-site
       * request: its app code runs only once the runtime has let the call through.
       */
      const prepareCall = async (id: string, preload: boolean) => {
        if (!state.catalog.get(id)) await scanning
        if (preload) await devResolver.preload(id)
        return handling
      }

      const pagesRenderedByApp = server.config.appType === 'custom'
      server.middlewares.use((req, res, next) => {
        const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/'
        const path = url.split('?', 1)[0]!
        if (path === base || path.startsWith(`${base}/`)) {
          if (req.method === 'GET' && (path === base || path === `${base}/`)) void scanning.then(() => inspector.handle(req, res))
          else {
            const id = path.slice(base.length + 1)
            const call = req.method === 'POST' ? trackCall(calls, state, id, res) : undefined
            void prepareCall(id, call !== undefined && !maybeCrossSite(req)).then((handle) => (call ? call.run(() => handle(req, res, next)) : handle(req, res, next)), next)
          }
          return
        }
        // An app rendering its own pages fails to render while its server code does not compile:
        // the page is Vite's overlay, as for Vite's own errors, instead of the app's bare 500.
        if (pagesRenderedByApp && isPageNavigation(req)) {
          const render = (error: NonNullable<ReturnType<typeof errors.pageError>>) => errorPageHtml(error, server.config.base + VITE_CLIENT.slice(1))
          const standing = errors.pageError()
          if (standing) {
            res.writeHead(500, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
            res.end(render(standing))
            return
          }
          answerWithOverlayOnFailure(res, () => errors.pageError(), render)
        }
        next()
      })
    },
  }
}

/** Puts a call in the call log, answered when its response ends. */
function trackCall(calls: CallLog, state: PluginState, id: string, res: ServerResponse): ReturnType<CallLog['start']> {
  const entry = state.catalog.get(id)
  const call = calls.start(id, entry && { name: entry.displayName ?? entry.exportName, file: entry.file })
  const done = () => call.answered(res.statusCode, (res.getHeader('x-use-server-error') as string | undefined) ?? null)
  res.once('finish', done)
  res.once('close', done)
  return call
}

/**
 * Whether a browser may have sent `req` from another site, or the runtime's origin check (which
 * decides the call) may refuse it otherwise: all but `Sec-Fetch-Site: same-origin` without
 * `Origin: null`, or, from browsers that send no `Sec-Fetch-Site`, a request with neither `Origin`
 * nor `Referer` (`none`, a typed address, is refused too).
 */
function maybeCrossSite(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site']
  if (site !== undefined) return site !== 'same-origin' || req.headers.origin === 'null'
  return req.headers.origin !== undefined || req.headers.referer !== undefined
}

/** How the browser imports a module id through the dev server (`/@id/…`, `\0` spelled `__x00__`). */
function browserUrl(specifier: string, base: string): string {
  return `${base}@id/${specifier.replace(/\0/g, '__x00__')}`
}
