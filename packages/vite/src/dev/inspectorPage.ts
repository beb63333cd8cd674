import type { CallRecord } from './callLog.js'

/** What `GET <base>` tells, as JSON (`Accept: application/json`) and in the page. */
export interface InspectorState {
  base: string
  functions: Array<{
    id: string
    name: string
    exportName: string
    kind: 'module' | 'inline'
    module: string
    line: number
    column: number
    bound: string[]
    /** Where the function was seen: `scan` (read from disk at start), or the environments that compiled it. */
    seenBy: string[]
    /** Callable from the page: it needs no bound values, which only a token from the server can carry. */
    callable: boolean
  }>
  calls: CallRecord[]
  compileErrors: Array<{ side: string; module: string; line: number; column: number; message: string; code: string }>
}

/**
 * The inspector's page. It renders from the state embedded in it, then from each state the event
 * stream sends; every text goes in through `textContent`, never as HTML. Calls go through the app's
 * own client runtime, exactly as the app's calls do.
 */
export function inspectorPage(state: InspectorState, clientRuntimeUrl: string): string {
  const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>use-server: server functions</title>
<style>
body{font:14px system-ui,sans-serif;margin:2rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.35rem .6rem;text-align:left;vertical-align:top}
code,pre,textarea{font:12.5px ui-monospace,monospace}pre{margin:.3rem 0;white-space:pre-wrap}
.muted{color:#777}.ok{color:#17702f}.error{color:#b3261e}.redirect{color:#8a5a00}
form{display:flex;gap:.4rem;align-items:flex-start}textarea{width:22rem;height:1.6rem}
</style></head>
<body>
<h1>Server functions</h1>
<p class="muted">Known to this dev server from the start (read from the app's files) and as modules compile; callable with <code>POST <span id="base"></span>/&lt;id&gt;</code>. This page exists in development only. JSON: <code>Accept: application/json</code>.</p>
<noscript><p>The lists below need JavaScript; the same state is served as JSON.</p></noscript>
<section id="problems" hidden><h2 class="error">Compile errors</h2><table><thead><tr><th>Module</th><th>Error</th></tr></thead><tbody id="errors"></tbody></table></section>
<h2>Functions <span class="muted" id="count"></span></h2>
<table><thead><tr><th>Function</th><th>Module</th><th>Bound values</th><th>Seen by</th><th>Call it</th></tr></thead><tbody id="functions"></tbody></table>
<h2>Recent calls</h2>
<table><thead><tr><th>Time</th><th>Function</th><th>Status</th><th>Duration</th><th>Error</th></tr></thead><tbody id="calls"></tbody></table>
<script type="module">
const runtime = import(${json(clientRuntimeUrl)})
let state = ${json(state)}
const results = new Map()
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) key === 'class' ? (node.className = value) : (node[key] = value)
  node.append(...children.filter((c) => c !== null && c !== undefined))
  return node
}
const inputs = new Map()
const show = (value) => {
  if (typeof value === 'function') return 'a server function'
  const special = (v) => v === undefined || typeof v === 'bigint' || (typeof v === 'number' && !Number.isFinite(v)) || Object.is(v, -0)
  if (special(value)) return Object.is(value, -0) ? '-0' : String(value) + (typeof value === 'bigint' ? 'n' : '')
  try {
    return JSON.stringify(value, (_k, v) => special(v) ? '<' + (typeof v === 'bigint' ? v + 'n' : String(v)) + '>' : v instanceof Map ? { '<Map>': [...v] } : v instanceof Set ? { '<Set>': [...v] } : v, 2)
  } catch { return String(value) }
}
async function call(fn, text) {
  results.set(fn.id, { pending: true })
  render()
  try {
    const args = text.trim() ? new Function('return [' + text + ']')() : []
    const { createServerReference } = await runtime
    const value = await createServerReference(fn.id, fn.exportName)(...args)
    results.set(fn.id, { value: show(value) })
  } catch (error) {
    results.set(fn.id, { error: (error && error.code ? error.code + ': ' : '') + (error && error.message || String(error)) })
  }
  render()
}
function callForm(fn) {
  if (!fn.callable) return el('span', { class: 'muted', textContent: 'needs its bound values: call it from the app' })
  const input = el('textarea', { placeholder: 'arguments, as JavaScript: 1, "two", new Date()', title: 'Arguments, separated by commas', value: inputs.get(fn.id) ?? '' })
  input.oninput = () => inputs.set(fn.id, input.value)
  const form = el('form', {}, input, el('button', { type: 'submit', textContent: 'Call' }))
  form.onsubmit = (event) => { event.preventDefault(); call(fn, input.value) }
  const result = results.get(fn.id)
  const output = !result ? null : result.pending ? el('div', { class: 'muted', textContent: 'calling…' })
    : result.error ? el('pre', { class: 'error', textContent: result.error }) : el('pre', { class: 'ok', textContent: result.value })
  return el('div', {}, form, output)
}
let shownFunctions = ''
function render() {
  document.getElementById('base').textContent = state.base
  document.getElementById('count').textContent = '(' + state.functions.length + ')'
  // rebuilt only when something in it changed: a live update must not take the text being typed
  const functionsKey = JSON.stringify([state.functions, [...results]])
  if (functionsKey !== shownFunctions) renderFunctions(functionsKey)
  renderCalls()
}
function renderFunctions(key) {
  shownFunctions = key
  const focused = document.activeElement && document.activeElement.closest('tr[id^="fn-"]')?.id
  document.getElementById('functions').replaceChildren(...state.functions.map((fn) => el('tr', { id: 'fn-' + fn.id },
    el('td', {}, el('code', { textContent: fn.name }), fn.kind === 'inline' ? el('div', { class: 'muted', textContent: 'inline, as ' + fn.exportName }) : null, el('div', { class: 'muted' }, el('code', { textContent: fn.id }))),
    el('td', { textContent: fn.module + ':' + fn.line }),
    el('td', {}, ...fn.bound.map((b, i) => el('code', { textContent: (i ? ', ' : '') + b }))),
    el('td', { textContent: fn.seenBy.join(', ') }),
    el('td', {}, callForm(fn)))))
  if (focused) document.querySelector('#' + CSS.escape(focused) + ' textarea')?.focus()
}
function renderCalls() {
  document.getElementById('calls').replaceChildren(...state.calls.map((c) => el('tr', { class: 'call' },
    el('td', { textContent: new Date(c.startedAt).toLocaleTimeString() }),
    el('td', {}, el('code', { textContent: c.name ?? c.id }), c.module ? el('div', { class: 'muted', textContent: c.module }) : null),
    el('td', { class: c.outcome, textContent: c.status === null ? 'running' : c.status + (c.code ? ' ' + c.code : '') + (c.outcome === 'redirect' ? ' redirect' : '') }),
    el('td', { textContent: c.durationMs === null ? '' : c.durationMs + ' ms' }),
    el('td', {}, c.error ? el('pre', { class: 'error', textContent: c.error.stack.startsWith(c.error.name) ? c.error.stack : c.error.name + ': ' + c.error.message + '\\n' + c.error.stack }) : null))))
  document.getElementById('problems').hidden = state.compileErrors.length === 0
  document.getElementById('errors').replaceChildren(...state.compileErrors.map((e) => el('tr', {},
    el('td', { textContent: e.module + ':' + e.line + ':' + (e.column + 1) }),
    el('td', {}, el('pre', { class: 'error', textContent: e.code + ': ' + e.message })))))
}
render()
new EventSource(location.pathname).onmessage = (event) => { state = JSON.parse(event.data); render() }
</script>
</body></html>
`
}
