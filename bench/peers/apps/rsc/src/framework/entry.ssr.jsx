// The starter's HTML rendering: the RSC stream decoded for react-dom/server, and injected into the page for hydration.
import * as ReactClient from '@vitejs/plugin-rsc/ssr'
import React from 'react'
import * as ReactDOMServer from 'react-dom/server.edge'
import { injectRSCPayload } from 'rsc-html-stream/server'

export async function renderHTML(rscStream, options) {
  const [forSsr, forBrowser] = rscStream.tee()
  let payload
  function SsrRoot() {
    payload ??= ReactClient.createFromReadableStream(forSsr)
    return <Passthrough>{React.use(payload).root}</Passthrough>
  }
  function Passthrough(props) {
    return props.children
  }
  const bootstrapScriptContent = await import.meta.viteRsc.loadBootstrapScriptContent('index')
  const html = await ReactDOMServer.renderToReadableStream(<SsrRoot />, { bootstrapScriptContent, formState: options.formState })
  return html.pipeThrough(injectRSCPayload(forBrowser))
}
