/**
 * Deadlines for bodies being read, on one timer: a call's deadline costs a Set entry instead of a
 * timer of its own (a timer per call was a measurable part of a trivial call). The timer is armed
 * for the earliest deadline and never keeps the process alive by itself.
 */
export interface BodyDeadline {
  readonly at: number
  readonly expire: () => void
}

const pending = new Set<BodyDeadline>()
let timer: ReturnType<typeof setTimeout> | undefined
let timerAt = Infinity

/** Calls `expire` in `ms` milliseconds unless `clearBodyDeadline` is called first. */
export function startBodyDeadline(ms: number, expire: () => void): BodyDeadline {
  const deadline = { at: Date.now() + ms, expire }
  pending.add(deadline)
  if (deadline.at < timerAt) arm(deadline.at)
  return deadline
}

export function clearBodyDeadline(deadline: BodyDeadline): void {
  pending.delete(deadline)
}

function arm(at: number): void {
  if (timer !== undefined) clearTimeout(timer)
  timerAt = at
  timer = setTimeout(expireDue, Math.max(0, at - Date.now()))
  ;(timer as { unref?: () => void }).unref?.()
}

function expireDue(): void {
  timer = undefined
  timerAt = Infinity
  const now = Date.now()
  let next = Infinity
  for (const deadline of pending) {
    if (deadline.at <= now) {
      pending.delete(deadline)
      deadline.expire()
    } else if (deadline.at < next) {
      next = deadline.at
    }
  }
  if (next < Infinity) arm(next)
}
