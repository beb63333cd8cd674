// Whether this process runs a development server. Handlers are in production mode (error details
// never leave the server) unless their options or the Vite dev server say otherwise, so a
// hand-written entry on a platform without `process.env` (Workers) never leaks error text.

// Process-wide, like the registry: the dev server, its SSR module runner and a bundle may each load
// their own copy of this module.
const mode: { development: boolean } = ((globalThis as Record<symbol, { development: boolean }>)[Symbol.for('use-server.mode')] ??= {
  development: false,
})

export function isDevelopmentProcess(): boolean {
  return mode.development
}

/** Called by the Vite dev server when it starts serving functions, and again when it stops. */
export function setDevelopmentProcess(development: boolean): void {
  mode.development = development
}
