import { DevalueError, stringify } from 'devalue'
import { ServerFunctionError } from '../../shared/ServerFunctionError.js'
import { encodeBase64 } from '../../codec/base64.js'

const encoder = new TextEncoder()

/**
 * What tells one cached function from another, the same on every instance of a build: its `key`
 * option when given (then stable across deployments too), else its name, where `cached()` was
 * called (folder and file name, line, column of the bundle) and its source text. So a new deployment
 * starts with its own entries, and two wrappers made at one place (in a loop) need a `key` each.
 * `cached` is the function whose caller is looked for in the stack.
 */
export function functionIdentity(fn: Function, key: string | undefined, cached: Function): { name: string; label: string; identity: string } {
  const name = ((key ?? fn.name) || 'anonymous').replace(/[^\w$.-]/g, '_').slice(0, 64)
  const label = fn.name || (key === undefined ? 'a cached function' : `the cached function "${key}"`)
  return { name, label, identity: key !== undefined ? `key\n${key}` : `fn\n${fn.name}\n${callSite(cached)}\n${fn.toString()}` }
}

/**
 * `folder/file:line:col` of the code that called `callee`, or '' where the stack says nothing. The
 * last two path segments: two files of one name in two folders differ, and a build deployed to
 * another directory does not.
 */
function callSite(callee: Function): string {
  const trace: { stack?: string } = {}
  // Frames from the caller of `callee` on, however the runtime's own functions were bundled.
  Error.captureStackTrace?.(trace, callee)
  const frame = trace.stack?.split('\n').find((line) => /:\d+:\d+\)?\s*$/.test(line)) ?? ''
  return /((?:[^/\\\s(]+[/\\])?[^/\\\s(]+:\d+:\d+)\)?\s*$/.exec(frame)?.[1] ?? ''
}

/** base64url SHA-256 of a text. */
export async function digest(text: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', encoder.encode(text))
  return encodeBase64(new Uint8Array(hash)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * The arguments as they make a key: devalue text. Arguments that are not data (a function, a class
 * instance, a symbol) cannot: a ServerFunctionError (400, `UNCACHEABLE_ARGUMENT`) that says which.
 * What the app's own code throws while they are read (a getter, a proxy) is the app's failure, as it is.
 */
export function argumentsText(label: string, args: unknown[]): string {
  try {
    return stringify(args)
  } catch (error) {
    if (!(error instanceof DevalueError)) throw error
    const path = (error as { path?: string }).path ?? ''
    const index = /^\[(\d+)\]/.exec(path)
    const where = index ? `argument ${Number(index[1]) + 1}${path.slice(index[0].length)}` : 'an argument'
    throw new ServerFunctionError(
      `${label} is cached by its arguments, and ${where} cannot be part of a cache key (${(error as Error).message}). Pass data: strings, numbers, booleans, plain objects, arrays, Dates, Maps, Sets.`,
      { code: 'UNCACHEABLE_ARGUMENT', status: 400 },
    )
  }
}

/**
 * The key of one call: the function's name (for people reading the store) and a digest of its
 * identity and arguments, so a key never grows with the arguments nor reveals them.
 */
export async function entryKey(name: string, identity: Promise<string>, argumentsText: string): Promise<string> {
  return `${name}:${await digest(`${await identity}\n${argumentsText}`)}`
}
