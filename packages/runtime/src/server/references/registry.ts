import { setDevelopmentProcess } from '../developmentMode.js'
import { encodeFormAction, isSignatureEqual } from './formAction.js'
import { SERVER_REFERENCE, type ServerReference } from './serverReference.js'

/** What the handler calls for an id, and how many leading arguments must come from a bound token. */
export interface ServerFunctionEntry {
  fn: (...args: any[]) => unknown
  name: string
  /** Captured values an inline function expects before its own arguments. Default 0. */
  boundCount?: number
}

export type ServerFunctionResolver = (id: string) => ServerFunctionEntry | undefined | Promise<ServerFunctionEntry | undefined>

// Process-wide state lives on globalThis: a dev server, an SSR module runner and a bundled server
// may each load their own copy of this module, and all of them must see one registry.
interface SharedState {
  registry: Map<string, ServerFunctionEntry>
  /** Installed by the Vite plugin (dev) or the generated registry module (build): the build's word on ids. */
  resolver: ServerFunctionResolver | undefined
}
const shared: SharedState = ((globalThis as Record<symbol, SharedState>)[Symbol.for('use-server.shared')] ??= {
  registry: new Map(),
  resolver: undefined,
})
const registry = shared.registry

/**
 * Makes `resolve` the authority on which ids are callable (and how to load them) for every
 * handler in this process that was not given its own; the Vite dev server also marks the process
 * as a development one (`development: true`). Returns a function that uninstalls it.
 */
export function installServerFunctionResolver(resolve: ServerFunctionResolver, options: { development?: boolean } = {}): () => void {
  shared.resolver = resolve
  setDevelopmentProcess(options.development ?? false)
  return () => {
    if (shared.resolver !== resolve) return
    shared.resolver = undefined
    setDevelopmentProcess(false)
  }
}

/** The installed resolver, else this process's registry of functions registered so far. */
export function resolveServerFunction(id: string): ReturnType<ServerFunctionResolver> {
  return shared.resolver ? shared.resolver(id) : registry.get(id)
}

/**
 * Marks `fn` as the server function `id` and records it in this process's registry. Emitted by
 * the transform after every export of a 'use server' module (and where an inline server function
 * is created, which may run on every render: a second call with the same function is a no-op).
 */
export function registerServerReference<T>(fn: T, id: string, name: string, boundCount = 0): T {
  if (typeof fn !== 'function') {
    throw new TypeError(
      `use-server: the export "${name}" (id ${id}) of a 'use server' module is ${describe(fn)}, not a function. Every export of a 'use server' module must be an async function; move other values to a module without the directive.`,
    )
  }
  const reference = fn as unknown as ServerReference
  if (reference.$$id === id && registry.get(id)?.fn === fn) return fn
  if (reference.$$typeof !== SERVER_REFERENCE) mark(reference, id, null)
  // The newest function wins: in development an edited module registers its new code under the same id.
  registry.set(id, { fn: fn as ServerFunctionEntry['fn'], name, boundCount })
  return fn
}


/**
 * What the transform makes of an inline 'use server' function declaration: a reference usable from the
 * top of its scope, as the declaration was, whose bound values are `read()` at each call and each
 * serialization, when the original function would have read its variables (so it throws only where that
 * one would: a captured `let` still in its temporal dead zone). `into` is a function declaration (in a
 * `switch`, where no other binding exists before the cases run) that forwards its calls itself and is
 * made the reference.
 */
export function bindServerReferenceLazily(reference: Function, read: () => unknown[], into?: Function): ServerReference {
  const call = reference as (...args: unknown[]) => any
  // Async, like the function it stands for: a value that cannot be read rejects the call instead of
  // throwing, and an async generator reads them on its first `next()`.
  const fn =
    into ??
    ((reference as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === 'AsyncGeneratorFunction'
      ? async function* (...args: unknown[]) { return yield* call(...read(), ...args) }
      : async function (...args: unknown[]) { return call(...read(), ...args) })
  return mark(fn, (reference as ServerReference).$$id, read)
}

/**
 * Gives `fn` the reference shape React expects (`$$typeof`, `$$id`, `$$bound`, `bind`, form encoding).
 * `bound` may be a function that reads the values when they are needed (see bindServerReferenceLazily).
 */
export function mark(fn: Function, id: string, bound: unknown[] | null | (() => unknown[]), remote?: ServerReference['$$remote']): ServerReference {
  Object.defineProperties(fn, {
    $$typeof: { value: SERVER_REFERENCE },
    $$id: { value: id },
    $$bound: typeof bound === 'function' ? { get: bound } : { value: bound },
    $$remote: { value: remote },
    bind: { value: bindReference, configurable: true, writable: true },
    $$FORM_ACTION: { value: encodeFormAction },
    $$IS_SIGNATURE_EQUAL: { value: isSignatureEqual },
  })
  return fn as ServerReference
}

/** `reference.bind(null, …values)`: a new reference whose values are prepended on every call. */
function bindReference(this: ServerReference, _thisArg: unknown, ...values: unknown[]): ServerReference {
  if (this.$$remote) {
    throw new TypeError('use-server: a server function received from the client cannot be bound on the server (the values would travel back in plain text). Call it, or pass it on unchanged.')
  }
  const lazy = typeof Object.getOwnPropertyDescriptor(this, '$$bound')?.get === 'function'
  const bound = lazy ? () => [...this.$$bound!, ...values] : [...(this.$$bound ?? []), ...values]
  return mark(Function.prototype.bind.call(this, null, ...values), this.$$id, bound, this.$$remote)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}`
}
