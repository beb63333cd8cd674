import type { TransformError } from '@use-server/transform'
import type { HotPayload, Logger, ViteDevServer } from 'vite'

/** Which compile of a module failed: for the browser (stubs) or for the server (registrations). */
export type CompileSide = 'client' | 'server'

const OWN_LOG = Symbol('use-server.own-log')
const ERROR_NAME = 'UseServerTransformError'

export function isTransformError(value: unknown): value is TransformError {
  return value instanceof Error && value.name === ERROR_NAME && 'loc' in value && 'frame' in value
}

interface Outstanding {
  error: TransformError
  key: string
  /** Sent to the browser's overlay by this plugin (server-side errors; Vite sends the client's). */
  pushed: boolean
  /** Breaks page renders (a module the server environment loads): navigations get the overlay. */
  blocksPages: boolean
}

/**
 * The dev server's compile errors, as a person meets them: each printed once in the terminal (with
 * its place and code frame, not the module's source or the compiler's stack), and each server-side
 * one sent to the browser's error overlay, which Vite does only for modules the browser requests.
 * When a later compile of the module succeeds, its error is gone, and so is the overlay.
 */
export class CompileErrors {
  private readonly outstanding = new Map<string, Outstanding>()
  private readonly printed = new Set<string>()
  private readonly listeners = new Set<() => void>()
  private overlayShown = false

  constructor(
    private readonly server: ViteDevServer,
    /** The environment whose module runner loads server code (its failed imports are cached until invalidated). */
    private readonly serverEnvironment: string,
  ) {}

  /**
   * A compile of `file` failed. `announce`: the module is part of the running app (a page or the server
   * loaded it), so the error is printed and, from the server side, sent to the overlay; otherwise it is
   * kept for the inspector until the module is loaded. `blocksPages`: the server environment loads it.
   */
  report(error: TransformError, side: CompileSide, { announce = true, blocksPages = false } = {}): void {
    const file = error.loc.file
    const key = signature(error)
    const slot = `${side}\0${file}`
    let entry = this.outstanding.get(slot)
    if (entry?.key !== key) {
      entry = { error, key, pushed: false, blocksPages: false }
      this.outstanding.set(slot, entry)
    }
    entry.blocksPages ||= blocksPages
    if (announce) this.announce(entry, side)
    this.changed()
  }

  /** The browser loaded `file` (its stubs compiled): a server-side error of it, kept quiet so far, is now the app's. */
  loadedByBrowser(file: string): void {
    const entry = this.outstanding.get(`server\0${file}`)
    if (entry) this.announce(entry, 'server')
  }

  /** Compile errors that stand, for the inspector. */
  list(): Array<{ side: CompileSide; file: string; line: number; column: number; message: string; code: string }> {
    return [...this.outstanding].map(([slot, { error }]) => ({
      side: slot.slice(0, slot.indexOf('\0')) as CompileSide,
      file: error.loc.file,
      line: error.loc.line,
      column: error.loc.column,
      message: error.message,
      code: error.code,
    }))
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener)
  }

  /** A compile of `file` for `side` succeeded: its error, if any, is fixed. */
  resolved(file: string, side: CompileSide): void {
    const slot = `${side}\0${file}`
    const entry = this.outstanding.get(slot)
    if (!entry) return
    this.outstanding.delete(slot)
    if (![...this.outstanding.values()].some((e) => e.key === entry.key)) this.printed.delete(entry.key)
    this.changed()
    if (!entry.pushed) return
    // A render that failed on the module keeps failing on what the module graph cached of it (its
    // importers' errors) until Vite's own update for the file gets there: forget it now, before the
    // page reloads.
    if (entry.blocksPages) {
      const graph = this.server.environments[this.serverEnvironment]?.moduleGraph
      for (const module of graph?.getModulesByFile(file) ?? []) graph!.invalidateModule(module)
    }
    // Another server error still stands: it takes the overlay. Else an (empty) update closes it
    // (Vite's client reloads instead when the page opened with the overlay already up).
    const next = this.latestPushed()
    if (next) this.send({ type: 'error', err: overlayPayload(next.error) })
    else if (this.overlayShown) {
      this.overlayShown = false
      this.send({ type: 'update', updates: [] })
    }
  }

  /** The server-side error that breaks page renders now, if any. */
  pageError(): TransformError | undefined {
    for (const entry of [...this.outstanding.values()].reverse()) if (entry.pushed && entry.blocksPages) return entry.error
    return undefined
  }

  /**
   * Vite prints a failed transform up to three times (a pre-transform, the request, a module runner's
   * reload), the last with the compiler's stack. This plugin prints its errors itself, once: the
   * logger lets Vite's copies of them go.
   */
  quietenLogger(logger: Logger): void {
    const marked = logger as Logger & { [OWN_LOG]?: true }
    if (marked[OWN_LOG]) return
    marked[OWN_LOG] = true
    const error = logger.error.bind(logger)
    logger.error = (message, options) => {
      if ((options as Record<symbol, unknown> | undefined)?.[OWN_LOG]) return error(message, options)
      const thrown = options?.error
      if (isTransformError(thrown) && this.isKnown(thrown)) return
      if (typeof message === 'string' && [...this.outstanding.values()].some((e) => message.includes(e.error.message))) return
      error(message, options)
    }
  }

  /** Sends a newly connected browser the server error that stands, if any (a page opened after it). */
  replayTo(client: { send(payload: HotPayload): void }): void {
    const entry = this.latestPushed()
    if (entry) client.send({ type: 'error', err: overlayPayload(entry.error) })
  }

  private announce(entry: Outstanding, side: CompileSide): void {
    this.print(entry.error)
    // Vite shows the overlay for modules the browser requests; the server's are this plugin's to send.
    if (side !== 'server' || entry.pushed) return
    entry.pushed = true
    this.overlayShown = true
    this.send({ type: 'error', err: overlayPayload(entry.error) })
  }

  private changed(): void {
    for (const listener of this.listeners) listener()
  }

  private isKnown(error: TransformError): boolean {
    return [...this.outstanding.values()].some((e) => e.error === error || (e.error.message === error.message && e.error.loc.file === error.loc.file))
  }

  private latestPushed(): Outstanding | undefined {
    return [...this.outstanding.values()].reverse().find((e) => e.pushed)
  }

  private print(error: TransformError): void {
    const { file, line, column } = error.loc
    if (this.printed.has(signature(error))) return
    this.printed.add(signature(error))
    const frame = error.frame.replace(/^/gm, '  ')
    const text = `[use-server] ${error.message}\n  File: ${file}:${line}:${column + 1}\n${frame}`
    this.server.config.logger.error(text, { timestamp: true, error, [OWN_LOG]: true } as never)
  }

  private send(payload: HotPayload): void {
    this.server.environments.client.hot.send(payload)
  }
}

const signature = (error: TransformError) => `${error.loc.file}:${error.loc.line}:${error.loc.column}\0${error.message}`

/** What Vite's error overlay shows: message, a link to the place, the code frame, the (one-frame) stack. */
export function overlayPayload(error: TransformError) {
  return {
    message: error.message,
    // the frames only, as Vite sends its own errors (the overlay shows the message above them)
    stack: (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).join('\n'),
    id: error.loc.file,
    frame: error.frame,
    plugin: 'use-server',
    loc: { file: error.loc.file, line: error.loc.line, column: error.loc.column },
  }
}
