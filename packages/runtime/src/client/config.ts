export interface ClientConfig {
  /** Endpoint prefix; a call goes to `<base>/<id>`. Default `/_server`. */
  base: string
  /** The fetch to use. Default `globalThis.fetch`. */
  fetch: typeof fetch
  /** Extra request headers, or a function returning them per call. */
  headers?: HeadersInit | (() => HeadersInit)
  /** Run calls concurrently instead of one at a time. Default false (one at a time, like Next.js). */
  parallel: boolean
  /**
   * Called when a server function calls `redirect()`. Default: `location.assign(url)`, and the call
   * never resolves, as the page is leaving (a form's state is not rendered for a page on its way
   * out). Return `true` from your own to say it left the page too; otherwise the call resolves.
   */
  onRedirect: (url: string, status: number) => boolean | void
  /** Called after a function revalidated paths or tags (the `use-server:revalidate` event fires too). */
  onRevalidate?: (revalidated: { paths: string[]; tags: string[] }) => void
}

// One configuration per page, even when a bundler ends up with two copies of this module.
export const config: ClientConfig = ((globalThis as Record<symbol, ClientConfig>)[Symbol.for('use-server.client')] ??= {
  base: '/_server',
  fetch: (input, init) => globalThis.fetch(input, init),
  parallel: false,
  onRedirect: (url) => (globalThis.location?.assign(url), true),
})

/** Changes how every server function call of this page is made. */
export function configure(options: Partial<ClientConfig>): void {
  Object.assign(config, options)
}
