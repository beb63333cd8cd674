import { clientDataScript, createRequestHandler } from '@use-server/runtime/ssr'
import { renderToReadableStream } from 'react-dom/server'
import { App } from './App'
import { matchRoute } from './routes'
import { loadRoute, type PageData } from './server/loadRoute'

/**
 * The server side of the app: `createRequestHandler` sends calls from JavaScript to the endpoint,
 * runs forms posted without JavaScript, loads each page's data (`pageData`, again when a call
 * revalidates the page), streams revalidations to open pages and renders every page into the HTML template.
 */
export function createHandler(template: string): (request: Request) => Promise<Response> {
  const [head, tail] = template.split('<!--app-->') as [string, string]
  return createRequestHandler({
    // `GET /_server/$events`: every revalidation pushed to every open page (src/entry-client.tsx)
    events: true,
    pageData: (request) => loadRoute(matchRoute(new URL(request.url).pathname)),
    async render(_request, { formState, status, error, pageData }) {
      const page = pageData as PageData
      const formError = error ? messageOf(error) : undefined
      const app = await renderToReadableStream(<App formError={formError} />, {
        formState,
        onError: (cause) => console.error('Render failed:', cause),
      })
      // The page's data and queries travel with it (server functions in them sealed), for hydration.
      const data = `<script>${await clientDataScript({ formState, formError })}</script>`
      const notFound = page.route.page === 'not-found' || (page.route.page === 'post' && !page.postPage)
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
