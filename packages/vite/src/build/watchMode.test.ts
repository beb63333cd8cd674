import { EventEmitter } from 'node:events'
import { expect, test } from 'vitest'
import { firstBuild, isWatcher, sameReferences } from './watchMode.js'

const watcher = () => Object.assign(new EventEmitter(), { close: async () => {} })

test('the first build has ended at its END, or at an ERROR (a client that does not compile must not hold the server back)', async () => {
  for (const code of ['END', 'ERROR']) {
    const client = watcher()
    let ended = false
    const ending = firstBuild(client).then(() => (ended = true))
    client.emit('event', { code: 'BUNDLE_START' })
    await Promise.resolve()
    expect(ended).toBe(false)
    client.emit('event', { code })
    await ending
  }
})

test('a watcher is told from a build output', () => {
  expect(isWatcher(watcher())).toBe(true)
  expect(isWatcher({ output: [] })).toBe(false)
  expect(isWatcher([{ output: [] }])).toBe(false)
  expect(isWatcher(undefined)).toBe(false)
})

test('references are the same when their ids and modules are', () => {
  const a = { ids: ['x', 'y'], modules: ['/a.ts'] }
  expect(sameReferences(a, { ids: ['x', 'y'], modules: ['/a.ts'] })).toBe(true)
  expect(sameReferences(a, { ids: ['x'], modules: ['/a.ts'] })).toBe(false)
  expect(sameReferences(a, { ids: ['x', 'y'], modules: ['/a.ts', '/b.ts'] })).toBe(false)
  expect(sameReferences(a, undefined)).toBe(false)
  expect(sameReferences(undefined, undefined)).toBe(true)
})
