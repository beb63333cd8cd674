/**
 * Deadlines for bodies being read, on one timer: a call's deadline costs a Set entry instead of a
 * timer of its own (a timer per call was a measurable part of a trivial call). The timer is armed
 * for the earliest deadline and never keeps the process alive by itself. Times are monotonic (the
 * wall clock set back an hour held every deadline back an hour), and an `expire` that throws is
 * logged: thrown from the timer it ended the process, and left the later deadlines unarmed.
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
  const deadline = { at: performance.now() + ms, expire }
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
  timer = setTimeout(expireDue, Math.max(0, at - performance.now()))
  ;(timer as { unref?: () => void }).unref?.()
}

function expireDue(): void {
  timer = undefined
  timerAt = Infinity
  const now = performance.now()
  const due: BodyDeadline[] = []
  let next = Infinity
  for (const deadline of pending) {
    if (deadline.at <= now) due.push(deadline)
    else if (deadline.at < next) next = deadline.at
  }
  for (const deadline of due) pending.delete(deadline)
  // Armed before any expire runs: one that starts a deadline re-arms the timer only if it is earlier.
  if (next < timerAt) arm(next)
  for (const deadline of due) {
    try {
      deadline.expire()
    } catch (error) {
      console.error('use-server: a body deadline could not refuse its request', error)
    }
  }
}
