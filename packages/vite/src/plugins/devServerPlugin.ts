import type { Plugin, ViteDevServer } from 'vite'
import { REGISTRY_MODULE } from '../runtimeModules.js'
import { createDevResolver } from '../dev/createDevResolver.js'
import { functionListPage } from '../dev/functionListPage.js'
import { handlerSettings } from '../options.js'
import type { PluginState } from '../state.js'

/**
 * Serves `<base>/<id>` in `vite` and `vite dev` (middleware mode too), ahead of Vite's own
 * middlewares, and `GET <base>`: a page listing the known functions.
 */
export function devServerPlugin(state: PluginState): Plugin {
  return {
    name: 'use-server:dev-server',
    apply: 'serve',
    async configureServer(server) {
      // Loaded here, not at the top: builds never need the server runtime in this process.
      const [{ createMiddleware }, { installServerFunctionResolver }] = await Promise.all([import('@use-server/runtime/node'), import('@use-server/runtime/server')])
      const settings = handlerSettings(state.options)
      const { base } = settings
      const resolve = createDevResolver(server, state)
      // An app's own SSR entry calling handleServerFunction(request) in development finds functions
      // too, and its handlers send error details: this process is a development server.
      const uninstall = installServerFunctionResolver(resolve, { development: true })
      server.httpServer?.once('close', uninstall)
      const handle = createMiddleware({ ...settings, resolve, dev: true })
      // The server environment's module runner takes a while to start; start it while the browser
      // is still loading the page, so the first call does not wait for it.
      server.httpServer?.once('listening', () => void warmUp(server, state.options.serverEnvironment))
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '/').split('?', 1)[0]
        if (req.method === 'GET' && (path === base || path === `${base}/`)) {
          res.setHeader('content-type', 'text/html; charset=utf-8')
          res.end(functionListPage(state.catalog.all(), server.config.root, base))
          return
        }
        handle(req, res, next)
      })
    },
  }
}

async function warmUp(server: ViteDevServer, name: string): Promise<void> {
  const runner = (server.environments[name] as unknown as { runner?: { import(url: string): Promise<unknown> } } | undefined)?.runner
  await runner?.import(REGISTRY_MODULE).catch(() => {})
}
