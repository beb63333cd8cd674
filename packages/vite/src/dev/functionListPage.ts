import { relative } from 'node:path'
import type { CatalogEntry } from '../catalog.js'

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The development page at `<base>`: every function the dev server knows, for debugging calls. */
export function functionListPage(entries: CatalogEntry[], root: string, base: string): string {
  const rows = entries
    .sort((a, b) => a.file.localeCompare(b.file) || a.loc.line - b.loc.line)
    .map(
      (e) =>
        `<tr><td><code>${escape(e.id)}</code></td><td>${escape(relative(root, e.file))}:${e.loc.line}</td><td><code>${escape(e.displayName ?? e.exportName)}</code>${e.kind === 'inline' ? ` <small>(inline, as ${escape(e.exportName)})</small>` : ''}</td><td>${e.bound.map((b) => `<code>${escape(b)}</code>`).join(', ')}</td><td>${escape(e.environment)}</td></tr>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>use-server: server functions</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.35rem .8rem;text-align:left}code{font-size:13px}</style></head>
<body><h1>Server functions</h1>
<p>${entries.length} function${entries.length === 1 ? '' : 's'} known to this dev server, callable with <code>POST ${escape(base)}/&lt;id&gt;</code>. Modules appear once a page or a call has loaded them. This page exists in development only.</p>
<table><thead><tr><th>Id</th><th>Module</th><th>Export</th><th>Bound values</th><th>Seen by</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`
}
