import { afterEach, describe, expect, test, vi } from 'vitest'
import { clearBodyDeadline, startBodyDeadline } from './bodyDeadlines.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

afterEach(() => vi.restoreAllMocks())

describe('body deadlines on one timer', () => {
  test('each expires once, in time, whatever order they were started in; a cleared one never does', async () => {
    const expired: string[] = []
    startBodyDeadline(120, () => expired.push('late'))
    startBodyDeadline(40, () => expired.push('early')) // earlier than the armed timer: it is re-armed
    const cleared = startBodyDeadline(60, () => expired.push('cleared'))
    startBodyDeadline(40, () => expired.push('early too'))
    clearBodyDeadline(cleared)
    await vi.waitFor(() => expect(expired).toEqual(['early', 'early too', 'late']), { timeout: 3000 })
    await sleep(100)
    expect(expired).toEqual(['early', 'early too', 'late'])
  })

  test('an expire that throws neither ends the process nor stops the others, due now or later', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const uncaught: unknown[] = []
    const onUncaught = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', onUncaught)
    try {
      const expired: string[] = []
      startBodyDeadline(30, () => {
        throw new Error('expire failed')
      })
      startBodyDeadline(30, () => expired.push('same time'))
      startBodyDeadline(150, () => expired.push('later'))
      await vi.waitFor(() => expect(expired).toEqual(['same time', 'later']), { timeout: 3000 })
      expect(uncaught).toEqual([])
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('body deadline'), expect.objectContaining({ message: 'expire failed' }))
    } finally {
      process.off('uncaughtException', onUncaught)
    }
  })

  test('a deadline started from an expire callback expires too', async () => {
    const expired: string[] = []
    startBodyDeadline(20, () => {
      expired.push('first')
      startBodyDeadline(20, () => expired.push('second'))
    })
    await vi.waitFor(() => expect(expired).toEqual(['first', 'second']), { timeout: 3000 })
  })

  test('the wall clock set back an hour (NTP, a VM resumed) does not hold a deadline back', async () => {
    const expired: string[] = []
    const now = Date.now()
    startBodyDeadline(50, () => expired.push('on time'))
    vi.spyOn(Date, 'now').mockImplementation(() => now - 3_600_000)
    await vi.waitFor(() => expect(expired).toEqual(['on time']), { timeout: 3000 })
  })
})
