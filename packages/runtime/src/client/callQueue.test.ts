import { describe, expect, test } from 'vitest'
import { enqueue } from './callQueue.js'

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('enqueue', () => {
  test('runs tasks one at a time, in order, even when one fails', async () => {
    const log: string[] = []
    const task = (name: string, ms: number, fail = false) => async () => {
      log.push(`start ${name}`)
      await tick(ms)
      log.push(`end ${name}`)
      if (fail) throw new Error(name)
      return name
    }
    const results = await Promise.allSettled([enqueue(task('a', 30)), enqueue(task('b', 1, true)), enqueue(task('c', 1))])
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c'])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
  })

  test('an aborted task leaves the queue at once and never runs', async () => {
    let ran = false
    const first = enqueue(() => tick(50))
    const controller = new AbortController()
    const second = enqueue(async () => void (ran = true), controller.signal)
    controller.abort(new Error('stop'))
    await expect(second).rejects.toThrow('stop')
    await first
    await tick(5)
    expect(ran).toBe(false)
  })
})
