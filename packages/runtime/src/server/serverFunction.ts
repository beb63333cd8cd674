import type { SendableFunction } from '../shared/sendable.js'

/**
 * Returns `fn` itself, typed as its callers see it (`SendableFunction`): an argument or a result
 * that cannot travel becomes a type error at every call site, and in `fn` where it returns one.
 * Use it for the exports of a `'use server'` module (`export const save = serverFunction(async (…) => …)`)
 * or around an inline server function; it changes nothing at run time.
 */
export function serverFunction<F extends (...args: any[]) => Promise<unknown> | AsyncIterable<unknown>>(fn: F): SendableFunction<F> {
  if (typeof fn !== 'function') throw new TypeError(`use-server: serverFunction() takes an async function, not ${fn === null ? 'null' : typeof fn}.`)
  return fn as unknown as SendableFunction<F>
}
