import { handleServerFunction, registerServerReference, revalidateTag } from '@use-server/runtime/server'
import type { HostileBody } from './hostileBodies.js'
import { DEADLINE_MS, type Answer } from './judgeAnswer.js'

/** The shape of what a hostile body could pollute: `({}).polluted`, the built-in prototypes, the globals. */
function serverShape(): string {
  const names = (target: object) => Reflect.ownKeys(target).map(String).sort().join(',')
  return JSON.stringify([({} as Record<string, unknown>).polluted, names(Object.prototype), names(Array.prototype), names(Function.prototype), names(globalThis)])
}

/** Converts each argument the ways the language does on its own; a conversion that throws is the app's business. */
export async function coerceAll(args: unknown[]): Promise<string> {
  const attempt = (convert: () => unknown) => {
    try {
      return typeof convert()
    } catch {
      return 'threw'
    }
  }
  const seen: string[] = []
  for (const arg of args) {
    seen.push(attempt(() => `${arg}`), attempt(() => Number(arg)), attempt(() => JSON.stringify(arg)), attempt(() => String(arg)))
    await arg // calls a `then`, were there a function under it
  }
  return seen.join(',')
}

/**
 * `handleServerFunction` in this process, with `fuzz-echo` (answers its arguments), `fuzz-coerce`
 * (converts them: template, String, Number, JSON, await), `fuzz-record` (counts its calls: nothing
 * may call it, so a call means the language called a reference on its own), `fuzz-reject` (rejects:
 * called that way, its rejection would go unhandled) and `fuzz-bound` (needs a bound value).
 * `check` throws when the process was polluted, `fuzz-record` or `fuzz-reject` ran, or a rejection
 * went unhandled.
 */
export async function createInProcessTarget() {
  let recorded = 0
  const errors: unknown[] = []
  const unhandled: unknown[] = []
  process.on('unhandledRejection', (reason) => void unhandled.push(reason))
  registerServerReference(async (...args: unknown[]) => args, 'fuzz-echo', 'echo')
  registerServerReference(async (...args: unknown[]) => coerceAll(args), 'fuzz-coerce', 'coerce')
  registerServerReference(async () => ++recorded, 'fuzz-record', 'record')
  registerServerReference(async () => {
    recorded++
    throw new Error('fuzz-reject was called')
  }, 'fuzz-reject', 'reject')
  registerServerReference(async (owner: string) => owner, 'fuzz-bound', 'bound', 1)
  registerServerReference(async () => (revalidateTag('items'), 'revalidated'), 'fuzz-revalidate', 'revalidate')
  const options = { dev: false, key: Buffer.alloc(32, 3).toString('base64'), onError: (error: unknown) => void errors.push(error) }
  let shape = ''

  async function send(body: HostileBody): Promise<Answer> {
    const start = performance.now()
    const target = body.queries !== undefined ? 'fuzz-revalidate' : body.coerce ? 'fuzz-coerce' : 'fuzz-echo'
    const headers: Record<string, string> = { 'content-type': body.contentType, ...(body.queries === undefined ? {} : { 'x-use-server-queries': body.queries }) }
    const request = new Request(`http://fuzz.test/_server/${target}`, { method: 'POST', body: body.body as BodyInit, headers })
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), DEADLINE_MS + 1)
    })
    try {
      const response = await Promise.race([handleServerFunction(request, options), late])
      if (!response) return { status: 0, text: '', ms: Infinity }
      return { status: response.status, text: await response.text(), ms: performance.now() - start }
    } catch (error) {
      // a throw escaping the handler is what the Node adapter turns into a 500
      return { status: 500, text: `thrown: ${(error as Error)?.stack ?? error}`, ms: performance.now() - start }
    } finally {
      clearTimeout(timer)
    }
  }

  /** After each case; what it finds is cleared, so that fast-check can shrink to the case that caused it. */
  async function check(): Promise<void> {
    if (serverShape() !== shape) throw new Error(`the process was polluted: ${serverShape()}`)
    await new Promise((resolve) => setImmediate(resolve)) // a rejection is reported after the microtasks
    const calls = recorded
    const error = errors.shift()
    const lost = unhandled.shift()
    recorded = 0
    errors.length = 0
    unhandled.length = 0
    if (calls > 0) throw new Error('fuzz-record or fuzz-reject ran: the language called a server function on its own')
    if (lost !== undefined) throw new Error(`a rejection went unhandled: ${(lost as Error)?.stack ?? lost}`)
    if (error !== undefined) throw new Error(`the handler reported an unexpected error: ${(error as Error)?.stack ?? error}`)
  }

  // The first call sets up what every process has (the key ring, the request storage): the baseline comes after it.
  await send({ kind: 'valid', body: '[[]]', contentType: 'application/json' })
  shape = serverShape()
  return { send, check }
}
