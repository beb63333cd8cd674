import { handleServerFunction } from '../server/handleServerFunction.js'
import type { HandlerOptions } from '../server/handlerOptions.js'
import { runWithOwnDependencies } from '../server/context/dependencies.js'
import { installPageDataLoader } from '../server/queries/pageDataLoader.js'
import { pagePath } from '../shared/pagePath.js'
import { createRequestContext, runInContext, type RequestContext } from '../server/context/requestContext.js'
import { decodeFormAction, type ReactFormState } from './decodeFormAction.js'

export interface RenderContext {
  /** For `renderToReadableStream(…, { formState })`, and `clientDataScript({ formState })` for the browser. */
  formState: ReactFormState | null
  /** The error a form's function threw, for the page to show; undefined otherwise. */
  error?: unknown
  /** The status the page should answer with: 422 after a validatedState() form refused its input, 500 after an error… */
  status: number
  /** What `pageData` loaded for this page (undefined without it); `usePageData()` reads it in the browser. */
  pageData: unknown
}

export interface RequestHandlerOptions extends HandlerOptions {
  /** Renders the page for a request. `cookies()` and `headers()` work inside it. */
  render: (request: Request, context: RenderContext) => Response | Promise<Response>
}

/** Loads the page's data in the request's context, for the render and for the browser's query cache. */
async function loadPageData(options: RequestHandlerOptions, request: Request, context: RequestContext): Promise<unknown> {
  if (!options.pageData) return undefined
  const { value, dependencies } = await runWithOwnDependencies(context, () => options.pageData!(request))
  const { pathname, search } = new URL(request.url)
  // The page's data belongs to its path: revalidatePath(pathname) refreshes it.
  const own = pagePath(pathname)
  const paths = dependencies.paths.includes(own) ? dependencies.paths : [...dependencies.paths, own]
  context.loaded.page = { path: pathname + search, data: value, tags: dependencies.tags, paths }
  return value
}

/**
 * The whole server of an SSR app in one function: calls from JavaScript go to the endpoint, forms
 * posted without JavaScript run their function and then render the page (or redirect), and every
 * other request renders. Cookies written by a function reach the response in every case.
 */
export function createRequestHandler(options: RequestHandlerOptions): (request: Request) => Promise<Response> {
  const base = (options.base ?? '/_server').replace(/\/+$/, '')
  if (options.pageData) installPageDataLoader(options.pageData)
  return async (request) => {
    const { pathname } = new URL(request.url)
    if (pathname === base || pathname.startsWith(`${base}/`)) return handleServerFunction(request, options)
    const action = await decodeFormAction(request, options)
    if (action?.type === 'response') return action.response
    const context = action?.context ?? createRequestContext(request)
    context.cookies.seal('the page is rendering; cookies can only be set by server functions')
    const pageData = await loadPageData(options, request, context)
    const renderContext: RenderContext = { formState: action?.formState ?? null, error: action?.error, status: action?.status ?? 200, pageData }
    const response = await runInContext(context, () => options.render(request, renderContext))
    const cookies = context.cookies.setCookieHeaders()
    if (cookies.length === 0) return response
    const headers = new Headers(response.headers)
    for (const cookie of cookies) headers.append('set-cookie', cookie)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}
