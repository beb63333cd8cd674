import { expect } from 'vitest'
import type { HostileApp } from './hostileApp.js'
import { rawCall } from './rawRequest.js'

/** What the fixture's `inspect` reports: `({}).polluted`, the shape of the built-in prototypes, the globals. */
export type ServerShape = Record<string, unknown>

export async function serverShape(app: HostileApp): Promise<ServerShape> {
  const { status, envelope } = await rawCall(app.origin, app.ids.inspect!, '[[]]')
  expect(status).toBe(200)
  return envelope!.value
}

/**
 * The check after every hostile request: the server still answers a normal call correctly, nothing
 * polluted its prototypes (`({}).polluted` is undefined, no key added or replaced on Object,
 * Array, Function or String prototypes) and no global appeared or vanished since the app started.
 */
export async function expectUnharmed(app: HostileApp): Promise<void> {
  const normal = await rawCall(app.origin, app.ids.add!, '[[1,2],2,3]')
  expect(normal.status).toBe(200)
  expect(normal.envelope).toEqual({ value: 5 })
  const now = await serverShape(app)
  expect(now.polluted).toBeUndefined()
  expect(now).toEqual(app.shapeAtStart)
}

/** At the end of a suite: no hostile request made the server log an error (it printed only its start). */
export function expectNothingLogged(app: HostileApp): void {
  expect(app.server.output().trim().split('\n')).toEqual([expect.stringMatching(/^use-server: listening on/)])
}
