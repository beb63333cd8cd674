import { createMiddleware } from '@use-server/runtime/node'
import { installServerFunctionResolver } from '@use-server/runtime/server'
import type { Plugin } from 'vite'
import { createDevResolver } from '../dev/createDevResolver.js'
import { functionListPage } from '../dev/functionListPage.js'
import type { PluginState } from '../state.js'

/**
 * Serves `<base>/<id>` in `vite` and `vite dev` (middleware mode too), ahead of Vite's own
 * middlewares, and `GET <base>`: a page listing the known functions.
 */
export function devServerPlugin(state: PluginState): Plugin {
  return {
    name: 'use-server:dev-server',
    apply: 'serve',
    configureServer(server) {
      const { base, allowedOrigins, bodyLimit, bodyTimeout, timeout } = state.options
      const resolve = createDevResolver(server, state)
      // An app's own SSR entry calling handleServerFunction(request) in development finds functions too.
      const uninstall = installServerFunctionResolver(resolve)
      server.httpServer?.once('close', uninstall)
      const handle = createMiddleware({ base, resolve, allowedOrigins, bodyLimit, bodyTimeout, timeout, dev: true })
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
