import { describe, expect, test } from 'vitest'
import { PendingWork } from './pendingWork.js'

// What the Redis store keeps while Redis is unreachable: bounded, whatever callers put in tags.

const revalidation = (id: string, tags: string[] = ['t']) => ({ id, tags, paths: [] })

describe('PendingWork', () => {
  test('keeps names and revalidations until taken, and takes them once', () => {
    const pending = new PendingWork()
    expect(pending.empty).toBe(true)
    expect(pending.invalidate(['t:a', 't:b', 't:a'])).toBe(false)
    pending.publish(revalidation('r1'))
    expect(pending.take()).toEqual({ names: ['t:a', 't:b'], revalidations: [revalidation('r1')] })
    expect(pending.empty).toBe(true)
  })

  test('past 10 000 names or 4 M characters of names, everything is invalidated instead (and it says so once)', () => {
    const many = new PendingWork()
    const overflowed = Array.from({ length: 10_001 }, (_, i) => many.invalidate([`t:${i}`]))
    expect(overflowed.filter(Boolean)).toHaveLength(1)
    expect(many.invalidate(['t:more'])).toBe(false)
    expect(many.take().names).toBe('everything')
    const long = new PendingWork()
    for (let i = 0; i < 4; i++) expect(long.invalidate([`t:${i}:`.padEnd(1_000_000, 'x')])).toBe(false)
    expect(long.invalidate(['t:one more'])).toBe(true)
    expect(long.take().names).toBe('everything')
  })

  test('past 1 000 revalidations or 4 M characters, the oldest are dropped', () => {
    const many = new PendingWork()
    for (let i = 0; i < 1001; i++) many.publish(revalidation(`r${i}`))
    const kept = many.take().revalidations
    expect(kept).toHaveLength(1000)
    expect(kept[0]!.id).toBe('r1')
    const long = new PendingWork()
    for (let i = 0; i < 6; i++) long.publish(revalidation(`r${i}`, ['x'.repeat(990_000)]))
    expect(long.take().revalidations.map((r) => r.id)).toEqual(['r2', 'r3', 'r4', 'r5'])
  })

  test('what could not be sent is put back before what came meanwhile', () => {
    const pending = new PendingWork()
    pending.invalidate(['t:first'])
    pending.publish(revalidation('first'))
    const work = pending.take()
    pending.invalidate(['t:later'])
    pending.publish(revalidation('later'))
    pending.putBack(work)
    expect(pending.take()).toEqual({ names: ['t:first', 't:later'], revalidations: [revalidation('first'), revalidation('later')] })
    pending.invalidate(Array.from({ length: 10_001 }, (_, i) => `t:${i}`))
    const everything = pending.take()
    pending.invalidate(['t:x'])
    pending.putBack(everything)
    expect(pending.take().names).toBe('everything')
  })
})
