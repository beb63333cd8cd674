import { clientDataScript, createRequestHandler } from '@use-server/runtime/ssr'
import { renderToReadableStream } from 'react-dom/server'
import { App, type AppProps } from './App'
import { matchRoute } from './routes'
import { loadRoute } from './server/loadRoute'

/**
 * The server side of the app: `createRequestHandler` sends calls from JavaScript to the endpoint,
 * runs forms posted without JavaScript, and renders every page into the HTML template.
 */
export function createHandler(template: string): (request: Request) => Promise<Response> {
  const [head, tail] = template.split('<!--app-->') as [string, string]
  return createRequestHandler({
    async render(request, { formState, status, error }) {
      const route = matchRoute(new URL(request.url).pathname)
      const props: AppProps = { ...(await loadRoute(route)), formError: error ? messageOf(error) : undefined }
      const app = await renderToReadableStream(<App {...props} />, {
        formState,
        onError: (cause) => console.error('Render failed:', cause),
      })
      // The props travel to the browser for hydration, server functions in them included (sealed).
      const data = `<script>${await clientDataScript({ formState, props })}</script>`
      const notFound = route.page === 'not-found' || (route.page === 'post' && !props.postPage)
      return new Response(surround(app, head, tail.replace('</body>', () => `${data}</body>`)), {
        status: notFound ? 404 : status,
        headers: { 'content-type': 'text/html; charset=utf-8' },
      })
    },
  })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.'
}

function surround(body: ReadableStream<Uint8Array>, head: string, tail: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const reader = body.getReader()
  return new ReadableStream({
    start: (controller) => controller.enqueue(encoder.encode(head)),
    async pull(controller) {
      const { done, value } = await reader.read()
      if (done) {
        controller.enqueue(encoder.encode(tail))
        controller.close()
      } else controller.enqueue(value)
    },
    cancel: (reason) => reader.cancel(reason),
  })
}
