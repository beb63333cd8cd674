/** Loads the data of the page at a request's URL. */
export type PageDataLoader = (request: Request) => unknown

// Process-wide, like the registry: in development the Vite dev server answers calls before the app's
// own handler sees them, and still has to load the app's page data again for single flight.
const shared: { loader?: PageDataLoader } = ((globalThis as Record<symbol, { loader?: PageDataLoader }>)[Symbol.for('use-server.page-data')] ??= {})

/** Made the process's page data loader by `createRequestHandler` (the newest one wins, as modules are edited). */
export function installPageDataLoader(loader: PageDataLoader): void {
  shared.loader = loader
}

/** A handler's own `pageData`, else the one `createRequestHandler` installed in this process. */
export function pageDataLoader(own: PageDataLoader | undefined): PageDataLoader | undefined {
  return own ?? shared.loader
}
