// Shared by every copy of this module on the page, so "one at a time" holds page-wide.
export const queue: { tail: Promise<unknown> } = ((globalThis as Record<symbol, { tail: Promise<unknown> }>)[Symbol.for('use-server.queue')] ??= {
  tail: Promise.resolve(),
})

/**
 * Runs `task` after every task queued before it has settled: calls reach the server one at a time
 * and in order, as in Next.js. An aborted call leaves the queue at once instead of waiting its turn.
 */
export function enqueue<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const run = queue.tail.then(() => {
    signal?.throwIfAborted()
    return task()
  })
  queue.tail = run.catch(() => undefined)
  if (!signal) return run
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason)
    if (signal.aborted) abort()
    signal.addEventListener('abort', abort, { once: true })
    run.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}
