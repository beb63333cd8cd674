import { AsyncLocalStorage } from 'node:async_hooks'
import { isAbsolute, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One call the dev server answered, as the inspector shows it. */
export interface CallRecord {
  seq: number
  id: string
  /** The function's name, or null for an id the dev server does not know. */
  name: string | null
  /** Root-relative module path. */
  module: string | null
  startedAt: number
  /** Until the answer is sent: null. */
  durationMs: number | null
  status: number | null
  /** The error code the runtime answered with (`INTERNAL_ERROR`, `NOT_FOUND`, `CSRF`…), if any. */
  code: string | null
  outcome: 'running' | 'ok' | 'redirect' | 'error'
  /** What the function threw: its stack as the module runner maps it to the source. */
  error: { name: string; message: string; stack: string } | null
}

const KEPT = 50
const TEXT_LIMIT = 8_000

function safeString(value: unknown): string {
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/**
 * The dev server's most recent calls: when each started, how long it took, what it answered, and what
 * the function threw. A call's own async context carries its record to the function wrapper that
 * sees the error, so concurrent calls never mix.
 */
export class CallLog {
  private readonly records: CallRecord[] = []
  private readonly listeners = new Set<() => void>()
  private readonly current = new AsyncLocalStorage<CallRecord>()
  private seq = 0

  constructor(private readonly root: string) {}

  /**
   * Records the start of the call `id`. `answered` is to be called with the status once the answer
   * is sent; `run` runs the handler as this call (what the function throws lands on its record).
   */
  start(id: string, known: { name: string; file: string } | undefined): { answered(status: number, code: string | null): void; run<T>(handle: () => T): T } {
    const record: CallRecord = {
      seq: ++this.seq,
      id,
      name: known?.name ?? null,
      module: known ? this.relative(known.file) : null,
      startedAt: Date.now(),
      durationMs: null,
      status: null,
      code: null,
      outcome: 'running',
      error: null,
    }
    this.records.unshift(record)
    if (this.records.length > KEPT) this.records.length = KEPT
    this.changed()
    const started = performance.now()
    return {
      answered: (status, code) => {
        if (record.status !== null) return
        record.durationMs = Math.round((performance.now() - started) * 10) / 10
        record.status = status
        record.code = code
        if (record.outcome === 'running') record.outcome = status >= 400 ? 'error' : 'ok'
        this.changed()
      },
      run: (handle) => this.current.run(record, handle),
    }
  }

  /**
   * Wraps a server function so that what it throws is recorded on the call it runs in; `mapStack`
   * maps the error's stack to the source first where the module runner did not.
   */
  observe<F extends (...args: any[]) => unknown>(fn: F, isRedirect: (error: unknown) => boolean, mapStack?: (error: Error) => void): F {
    const log = this
    return async function (this: unknown, ...args: unknown[]) {
      try {
        return await fn.apply(this, args)
      } catch (error) {
        const record = log.current.getStore()
        if (record) {
          if (isRedirect(error)) record.outcome = 'redirect'
          else {
            if (mapStack && error instanceof Error) mapStack(error)
            record.outcome = 'error'
            record.error = log.describe(error)
          }
        }
        throw error
      }
    } as F
  }

  recent(): CallRecord[] {
    return this.records.map((r) => ({ ...r }))
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private changed(): void {
    for (const listener of this.listeners) listener()
  }

  private describe(error: unknown): CallRecord['error'] {
    // what a function throws is anything: kept short, read without running its code twice
    const cut = (text: string) => (text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT)}… (${text.length - TEXT_LIMIT} more characters)` : text)
    try {
      if (!(error instanceof Error)) return { name: typeof error, message: cut(safeString(error)), stack: '' }
      return { name: cut(safeString(error.name)), message: cut(safeString(error.message)), stack: cut(this.appFrames(safeString(error.stack ?? ''))) }
    } catch {
      return { name: 'Error', message: '(what the function threw could not be read)', stack: '' }
    }
  }

  /**
   * The stack, its paths relative to the root; only the frames of the app's own code when there are
   * some (the runtime, Vite and Node around a call say nothing about its error).
   */
  private appFrames(stack: string): string {
    const lines = stack.split('\n')
    const head = lines.filter((line) => !/^\s+at /.test(line))
    const frames = lines.filter((line) => /^\s+at /.test(line))
    const inApp = (line: string) => {
      const path = /(file:\/\/[^\s)]+|\/[^\s):]+)(?=:\d+)/.exec(line)?.[1]
      return path !== undefined && !/[\\/]node_modules[\\/]/.test(path) && !isAbsolute(this.relative(path))
    }
    const app = frames.filter(inApp).map((line) => line.replace(/(file:\/\/[^\s)]+|\/[^\s):]+)(?=:\d+)/, (path) => this.relative(path)))
    return [...head, ...(app.length > 0 ? app : frames)].join('\n')
  }

  private relative(path: string): string {
    const file = path.startsWith('file://') ? fileURLToPath(path) : path
    if (!isAbsolute(file)) return file
    const inRoot = relative(this.root, file)
    return inRoot.startsWith('..') ? file : inRoot
  }
}
