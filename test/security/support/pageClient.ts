import { configure, createServerReference, ServerFunctionError, type ServerFunction } from '@use-server/runtime/client'
import { expect } from 'vitest'
import type { HostileApp } from './hostileApp.js'

/** Points the client runtime at the app, as its page would be; returns the page's stub of a function by name. */
export function pageClient(app: HostileApp): (name: string) => ServerFunction {
  configure({ base: `${app.origin}/_server`, headers: {} })
  return (name) => createServerReference(app.ids[name]!, name)
}

/** The typed error a call rejects with; fails the test when the call succeeds or rejects with anything else. */
export async function typedFailure(call: Promise<unknown>): Promise<ServerFunctionError> {
  const error = await call.then(() => expect.unreachable('the call succeeded'), (e: unknown) => e)
  expect(error).toBeInstanceOf(ServerFunctionError)
  return error as ServerFunctionError
}
