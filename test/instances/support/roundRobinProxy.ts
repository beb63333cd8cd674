import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RoundRobinProxy {
  origin: string
  /** The origins requests go to, in turn; a test changes it as instances restart. */
  targets: string[]
  /** How many requests each target got. */
  counts: Map<string, number>
  close(): Promise<void>
}

/**
 * A load balancer as small as it gets: each request goes to the next target in turn, body and
 * answer streamed both ways (event streams too), the Host header kept (the instances check the
 * origin against it, as behind any proxy that forwards Host). A target that fails gets a 502.
 */
export async function startRoundRobinProxy(targets: string[]): Promise<RoundRobinProxy> {
  let next = 0
  const proxy: RoundRobinProxy = { origin: '', targets, counts: new Map(), close: () => Promise.resolve() }
  const server: Server = createServer((req, res) => {
    const target = proxy.targets[next++ % proxy.targets.length]!
    proxy.counts.set(target, (proxy.counts.get(target) ?? 0) + 1)
    const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', (error) => {
      if (res.headersSent) return void res.destroy()
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${target} failed: ${error.message}`)
    })
    res.on('close', () => upstream.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return proxy
}
