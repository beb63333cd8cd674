// The demo's server, for `vite` development (middleware mode, with HMR) and for production
// (`NODE_ENV=production`, after `vite build`). Everything app-specific happens in the request
// handler of src/entry-server.tsx; this file only bridges Node's http server to it.
import { toNodeListener } from '@use-server/runtime/node'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'

const production = process.env.NODE_ENV === 'production'
const root = fileURLToPath(new URL('.', import.meta.url))
let handle
const server = createServer((req, res) => handle(req, res))

if (production) {
  const { serveStatic } = await import('@use-server/vite/production')
  const { createHandler } = await import('./dist/server/entry-server.js')
  const template = readFileSync(new URL('./dist/client/index.html', import.meta.url), 'utf8')
  const app = toNodeListener(createHandler(template))
  const files = serveStatic(fileURLToPath(new URL('./dist/client', import.meta.url)))
  handle = (req, res) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && /^\/(assets\/|favicon)/.test(req.url)) return files(req, res)
    app(req, res)
  }
} else {
  const { createServer: createViteServer } = await import('vite')
  // HMR's WebSocket on this server, not on a port of its own (24678 by default, which a second app would find taken).
  const vite = await createViteServer({ root, server: { middlewareMode: true, hmr: { server } }, appType: 'custom' })
  // The entry is loaded anew for every page, so an edit shows on the next reload.
  const app = toNodeListener(
    async (request) => {
      const { createHandler } = await vite.ssrLoadModule('/src/entry-server.tsx')
      const template = await vite.transformIndexHtml(new URL(request.url).pathname, readFileSync(new URL('./index.html', import.meta.url), 'utf8'))
      return createHandler(template)(request)
    },
    {
      onError(error) {
        vite.ssrFixStacktrace(error)
        console.error(error)
      },
    },
  )
  handle = (req, res) => vite.middlewares(req, res, () => app(req, res))
}

const port = Number(process.env.PORT ?? 5173)
server.listen(port, process.env.HOST, () => {
  const address = server.address()
  console.log(`posts demo (${production ? 'production' : 'development'}): listening on http://${process.env.HOST ?? 'localhost'}:${address.port}/`)
})
