import type { HostileBody } from './hostileBodies.js'

export interface Answer {
  status: number
  text: string
  /** Milliseconds from sending to the whole answer; Infinity when none came within the deadline. */
  ms: number
}

export const DEADLINE_MS = 1_000

/**
 * Throws when an answer breaks the rules every hostile body must keep: an answer within a second,
 * never a 5xx, and for a well-formed call exactly the echo the client expects.
 */
export function judgeAnswer(body: HostileBody, answer: Answer): void {
  if (answer.ms > DEADLINE_MS) throw new Error(`no answer within ${DEADLINE_MS} ms (${body.kind} body)`)
  if (answer.status >= 500) throw new Error(`answered ${answer.status}: ${answer.text.slice(0, 300)}`)
  if (body.echo !== undefined && (answer.status !== 200 || answer.text !== body.echo)) {
    throw new Error(`a well-formed call was not echoed exactly: ${answer.status} ${answer.text.slice(0, 300)}\nexpected ${body.echo.slice(0, 300)}`)
  }
}
