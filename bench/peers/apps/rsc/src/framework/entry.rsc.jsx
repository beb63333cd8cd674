// The starter's request handler: a POST with `x-rsc-action` runs that server function with the
// arguments decoded from the body, then the page is rendered again with its return value, as RSC
// (what the browser's client asked for) or, for a page load, as HTML through the ssr environment.
import * as ReactServer from '@vitejs/plugin-rsc/rsc'
import { Root } from '../root.jsx'

export default async function handler(request) {
  let returnValue
  let formState
  let temporaryReferences
  if (request.method === 'POST') {
    const actionId = request.headers.get('x-rsc-action')
    if (actionId) {
      const body = request.headers.get('content-type')?.startsWith('multipart/form-data') ? await request.formData() : await request.text()
      temporaryReferences = ReactServer.createTemporaryReferenceSet()
      const args = await ReactServer.decodeReply(body, { temporaryReferences })
      const action = await ReactServer.loadServerAction(actionId)
      returnValue = await action.apply(null, args)
    } else {
      const formData = await request.formData()
      const decodedAction = await ReactServer.decodeAction(formData)
      formState = await ReactServer.decodeFormState(await decodedAction(), formData)
    }
  }
  const rscStream = ReactServer.renderToReadableStream({ root: <Root />, formState, returnValue }, { temporaryReferences })
  if (!request.headers.get('accept')?.includes('text/html')) {
    return new Response(rscStream, { headers: { 'content-type': 'text/x-component;charset=utf-8', vary: 'accept' } })
  }
  const ssr = await import.meta.viteRsc.loadModule('ssr', 'index')
  return new Response(await ssr.renderHTML(rscStream, { formState }), { headers: { 'content-type': 'text/html', vary: 'accept' } })
}
