import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TransformError } from '@use-server/transform'
import { overlayPayload } from './compileErrors.js'

/**
 * The page a navigation gets while server code fails to compile: Vite's own error overlay, as Vite
 * renders it for its own failed requests, with its client connected, so fixing the file reloads it.
 */
export function errorPageHtml(error: TransformError, viteClient: string): string {
  const payload = JSON.stringify(overlayPayload(error)).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Compile error</title>
<script type="module" src="${viteClient}"></script>
<script type="module">
const error = ${payload}
const { ErrorOverlay } = await import(${JSON.stringify(viteClient)})
document.body.appendChild(new ErrorOverlay(error))
</script></head>
<body></body>
</html>
`
}

/** A browser loading a page (not a script, style or fetch), which an overlay page can answer. */
export function isPageNavigation(req: IncomingMessage): boolean {
  if (req.method !== 'GET') return false
  const destination = req.headers['sec-fetch-dest']
  if (destination) return destination === 'document'
  return (req.headers.accept ?? '').includes('text/html')
}

/**
 * For an app that renders its own pages (Vite's `appType: 'custom'`): when its answer to a page is a
 * server error and a server compile error stands, the answer becomes the overlay page instead of
 * the app's bare "Internal Server Error". The app's body is dropped only in that case.
 */
export function answerWithOverlayOnFailure(res: ServerResponse, currentError: () => TransformError | undefined, render: (error: TransformError) => string): void {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end }
  let replaced: TransformError | undefined
  let decided = false
  const decide = (status: number) => {
    if (decided) return
    decided = true
    replaced = status >= 500 ? currentError() : undefined
  }
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    decide(status)
    if (replaced) return this
    return (original.writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest)
  } as ServerResponse['writeHead']
  res.write = function (this: ServerResponse, ...args: unknown[]) {
    decide(this.statusCode)
    if (replaced) return true
    return (original.write as (...args: unknown[]) => boolean).apply(this, args)
  } as ServerResponse['write']
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    decide(this.statusCode)
    if (!replaced) return (original.end as (...args: unknown[]) => ServerResponse).apply(this, args)
    // Node's `end` writes the head through `this.writeHead`: the original one from here on
    Object.assign(this, original)
    for (const name of this.getHeaderNames()) this.removeHeader(name)
    this.statusCode = 500
    this.setHeader('content-type', 'text/html; charset=utf-8')
    this.setHeader('cache-control', 'no-store')
    return (original.end as (chunk: string) => ServerResponse).call(this, render(replaced))
  } as ServerResponse['end']
}
