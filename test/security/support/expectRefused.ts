import { expect } from 'vitest'
import type { RawResponse } from './rawRequest.js'

/**
 * A refusal: the expected 4xx status (never a 5xx), and a message that says what was wrong, in the
 * envelope (with the code in the `x-use-server-error` header) or, off the endpoint, as text.
 */
export function expectRefused(response: RawResponse, status: number, message: RegExp): void {
  expect(status).toBeGreaterThanOrEqual(400)
  expect(status).toBeLessThan(500)
  const said = response.envelope?.error?.message ?? response.text
  expect({ status: response.status, message: said.slice(0, 300) }).toEqual({ status, message: expect.stringMatching(message) })
  if (response.envelope?.error) expect(response.headers['x-use-server-error']).toBe(response.envelope.error.code)
}
