import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Plugin, ViteDevServer } from 'vite'
import { clientRuntimeSpecifier } from '../compileModule.js'
import type { CallLog } from '../dev/callLog.js'
import { REGISTRY_MODULE } from '../runtimeModules.js'
import { handlerSettings } from '../options.js'
import type { PluginState } from '../state.js'

const VITE_CLIENT = '/@vite/client'

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
    async configureServer(server) {
      // Loaded here, not at the top: builds never need the server runtime, nor the dev server's parts, in this process.
      const [
        { createMiddleware },
        { installServerFunctionResolver, isRedirectError },
        { CallLog },
        { CompileErrors },
        { createDevResolver, usesSsrLoadModule },
        { answerWithOverlayOnFailure, errorPageHtml, isPageNavigation },
        { createInspector },
        { FunctionScanner },
      ] =
        await Promise.all([
          import('@use-server/runtime/node'),
          import('@use-server/runtime/server'),
          import('../dev/callLog.js'),
          import('../dev/compileErrors.js'),
          import('../dev/createDevResolver.js'),
          import('../dev/errorPage.js'),
          import('../dev/inspector.js'),
          import('../dev/scanFunctions.js'),
        ])
      const settings = handlerSettings(state.options)
      const { base } = settings
      const root = server.config.root

      const errors = (state.compileErrors = new CompileErrors(server, state.options.serverEnvironment))
      errors.quietenLogger(server.config.logger)
      server.environments.client.hot.on('vite:client:connect', (_payload, client) => errors.replayTo(client))

      const calls = new CallLog(root)
      const devResolver = createDevResolver(server, state)
      const resolve: typeof devResolver = async (id) => {
        const entry = await devResolver(id)
        const mapStack = usesSsrLoadModule(server, state.options.serverEnvironment) ? (error: Error) => server.ssrFixStacktrace(error) : undefined
        return entry && { ...entry, fn: calls.observe(entry.fn, isRedirectError, mapStack) }
      }
      // An app's own SSR entry calling handleServerFunction(request) in development finds functions
      // too, and its handlers send error details: this process is a development server.
      const uninstall = installServerFunctionResolver(resolve, { development: true })
      const handle = createMiddleware({ ...settings, resolve, dev: true })

      const inspector = createInspector({
        root,
        base,
        clientRuntimeUrl: browserUrl(clientRuntimeSpecifier(state), server.config.base),
        functions: () => state.catalog.entries(),
        calls,
        errors,
      })
      state.catalog.onChange(inspector.changed)
      closeDevServer = () => {
        uninstall()
        inspector.close()
      }
      server.httpServer?.once('close', closeDevServer)

      // Every function is known before the first page loads; the server environment's module runner
      // takes a while to start, so it starts while the browser is still loading the page.
      const scanner = (state.scanner = new FunctionScanner(state, server, errors))
      const scanning = scanner.start().catch((error: unknown) => server.config.logger.error(`[use-server] could not read the app's files for server functions: ${String(error)}`))
      server.httpServer?.once('listening', () => void warmUp(server, state.options.serverEnvironment))

      const pagesRenderedByApp = server.config.appType === 'custom'
      server.middlewares.use((req, res, next) => {
        const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/'
        const path = url.split('?', 1)[0]!
        if (path === base || path.startsWith(`${base}/`)) {
          if (req.method === 'GET' && (path === base || path === `${base}/`)) void scanning.then(() => inspector.handle(req, res))
          else trackCall(calls, state, path.slice(base.length + 1), req, res, () => handle(req, res, next))
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

function trackCall(calls: CallLog, state: PluginState, id: string, req: IncomingMessage, res: ServerResponse, handle: () => void): void {
  if (req.method !== 'POST') return handle()
  const entry = state.catalog.get(id)
  const known = entry && { name: entry.displayName ?? entry.exportName, file: entry.file }
  calls.track(id, known, (answered) => {
    const done = () => answered(res.statusCode, (res.getHeader('x-use-server-error') as string | undefined) ?? null)
    res.once('finish', done)
    res.once('close', done)
    handle()
  })
}

/** How the browser imports a module id through the dev server (`/@id/…`, `\0` spelled `__x00__`). */
function browserUrl(specifier: string, base: string): string {
  return `${base}@id/${specifier.replace(/\0/g, '__x00__')}`
}

async function warmUp(server: ViteDevServer, name: string): Promise<void> {
  const runner = (server.environments[name] as unknown as { runner?: { import(url: string): Promise<unknown> } } | undefined)?.runner
  await runner?.import(REGISTRY_MODULE).catch(() => {})
}
