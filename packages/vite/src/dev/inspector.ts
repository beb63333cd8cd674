import type { IncomingMessage, ServerResponse } from 'node:http'
import { relative } from 'node:path'
import type { CatalogEntry } from '../catalog.js'
import type { CallLog, CallRecord } from './callLog.js'
import type { CompileErrors } from './compileErrors.js'
import { inspectorPage, type InspectorState } from './inspectorPage.js'


interface Sources {
  root: string
  base: string
  /** The specifier of the client runtime the app's stubs import, as the browser imports it. */
  clientRuntimeUrl: string
  functions: () => CatalogEntry[]
  calls: CallLog
  errors: CompileErrors
}

/**
 * The development page at `GET <base>`: every server function the dev server knows, the last calls
 * (live, over server-sent events), the compile errors that stand, and a form to call a function
 * that takes no bound values, through the app's own client runtime (so the same rules apply as to
 * any call: same-origin, codec, limits). JSON for `Accept: application/json`.
 */
export function createInspector(sources: Sources) {
  const streams = new Set<ServerResponse>()
  let scheduled: NodeJS.Timeout | undefined
  const broadcast = () => {
    if (streams.size === 0 || scheduled) return
    scheduled = setTimeout(() => {
      scheduled = undefined
      const data = `data: ${JSON.stringify(snapshot(sources))}\n\n`
      for (const stream of streams) stream.write(data)
    }, 50)
  }
  sources.calls.onChange(broadcast)
  sources.errors.onChange(broadcast)

  return {
    /** The catalog changed. */
    changed: broadcast,

    handle(req: IncomingMessage, res: ServerResponse): void {
      const accept = req.headers.accept ?? ''
      if (accept.includes('text/event-stream')) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
        res.write(`retry: 1000\ndata: ${JSON.stringify(snapshot(sources))}\n\n`)
        streams.add(res)
        const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000)
        res.on('close', () => {
          clearInterval(keepAlive)
          streams.delete(res)
        })
        return
      }
      if (prefersJson(accept)) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
        res.end(JSON.stringify(snapshot(sources), null, 2))
        return
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      res.end(inspectorPage(snapshot(sources), sources.clientRuntimeUrl))
    },

    close(): void {
      clearTimeout(scheduled)
      for (const stream of streams) stream.end()
      streams.clear()
    },
  }
}

/** `application/json` asked for ahead of HTML (a browser asks for HTML first; fetch and curl name JSON). */
function prefersJson(accept: string): boolean {
  const json = accept.indexOf('application/json')
  const html = accept.indexOf('text/html')
  return json >= 0 && (html < 0 || json < html)
}

function snapshot({ root, base, functions, calls, errors }: Sources): InspectorState {
  const byId = new Map<string, InspectorState['functions'][number]>()
  for (const entry of functions().sort((a, b) => a.file.localeCompare(b.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column)) {
    const known = byId.get(entry.id)
    if (known) {
      if (!known.seenBy.includes(entry.environment)) known.seenBy.push(entry.environment)
      continue
    }
    byId.set(entry.id, {
      id: entry.id,
      name: entry.displayName ?? entry.exportName,
      exportName: entry.exportName,
      kind: entry.kind,
      module: relative(root, entry.file),
      line: entry.loc.line,
      column: entry.loc.column,
      bound: entry.bound,
      seenBy: [entry.environment],
      callable: entry.bound.length === 0,
    })
  }
  return {
    base,
    functions: [...byId.values()],
    calls: calls.recent(),
    compileErrors: errors.list().map(({ file, ...rest }) => ({ ...rest, module: relative(root, file) })),
  }
}
