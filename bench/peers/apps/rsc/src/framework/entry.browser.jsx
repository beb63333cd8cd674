// The starter's browser entry: hydrates the page from the injected RSC payload, and calls server
// functions by POSTing their encoded arguments with `x-rsc-action`, rendering the page it gets back.
import * as ReactClient from '@vitejs/plugin-rsc/browser'
import React from 'react'
import * as ReactDOMClient from 'react-dom/client'
import { rscStream } from 'rsc-html-stream/client'

async function main() {
  let setPayload
  const initialPayload = await ReactClient.createFromReadableStream(rscStream)
  function BrowserRoot() {
    const [payload, setPayload_] = React.useState(initialPayload)
    React.useEffect(() => {
      setPayload = (v) => React.startTransition(() => setPayload_(v))
    }, [setPayload_])
    return payload.root
  }
  ReactClient.setServerCallback(async (id, args) => {
    const temporaryReferences = ReactClient.createTemporaryReferenceSet()
    const payload = await ReactClient.createFromFetch(
      fetch(new URL(window.location.href), { method: 'POST', body: await ReactClient.encodeReply(args, { temporaryReferences }), headers: { 'x-rsc-action': id } }),
      { temporaryReferences },
    )
    setPayload(payload)
    return payload.returnValue
  })
  ReactDOMClient.hydrateRoot(document, <React.StrictMode><BrowserRoot /></React.StrictMode>, { formState: initialPayload.formState })
}

main()
