// What can travel between browser and server, as types: the codec's rules (codec/writeDevalue and
// the server's encoder) told to TypeScript, so that sending what would fail at run time fails to compile.

declare const NOT_SENDABLE: unique symbol

/** Stands where a value cannot travel. Nothing is assignable to it; TypeScript's error shows the reason. */
export interface NotSendable<Reason extends string> {
  readonly [NOT_SENDABLE]: Reason
}

type Primitive = string | number | boolean | bigint | null | undefined | void
/** Sent whole by the codec (multipart parts for Blob, File and FormData). */
type SentAsIs = Date | URL | URLSearchParams | ArrayBuffer | ArrayBufferView | Blob | FormData
/** Objects of classes the codec refuses, as it refuses every instance that is not a plain object. */
type Instances = WeakMap<any, any> | WeakSet<any> | Headers | Request | Response | ReadableStream<any>

/**
 * `T` as it can travel as an argument of a server function (and as a result): each part that cannot
 * is replaced by `NotSendable<reason>`, so passing or returning it is a type error and using it on
 * the other side is too. Sendable: primitives (and `undefined`), plain objects and arrays, Date, URL,
 * URLSearchParams, Map, Set, ArrayBuffer, typed arrays, DataView, Blob, File, FormData, and server
 * functions. Not: other functions, symbols, promises, errors, the built-in classes above, and RegExp
 * (servers refuse it in arguments unless `limits.allowRegExp` is set; results may hold one).
 *
 * Limits of a type: a server function is told from other functions by its result (a Promise), and an
 * instance of your own class looks like a plain object with its fields (its methods are caught).
 */
export type Sendable<T> = Travels<T, never>

/** A result: what `Sendable` allows, RegExp too, or an async iterable of them (an async generator streams its values). */
export type SendableResult<T> = 0 extends 1 & T ? T : T extends AsyncIterable<infer Item> ? AsyncIterable<Travels<Item, RegExp>> : Travels<T, RegExp>

/** `T` as it travels, where `Allowed` (RegExp, for results) travels too. */
type Travels<T, Allowed> = 0 extends 1 & T
  ? T // any
  : unknown extends T
    ? T // unknown: nothing to check
    : T extends Primitive | SentAsIs | Allowed
      ? T
      : T extends symbol
        ? NotSendable<'a symbol'>
        : T extends RegExp
          ? NotSendable<'a RegExp: servers refuse it in arguments unless limits.allowRegExp is set'>
          : T extends (...args: any[]) => infer Result
            ? Result extends PromiseLike<unknown>
              ? T
              : NotSendable<'a function: only server functions (the async exports of a \'use server\' module) can be sent'>
            : T extends PromiseLike<unknown>
              ? NotSendable<'a promise: await it and send its value'>
              : T extends Error
                ? NotSendable<'an Error: throw it (the caller gets it), or send its message'>
                : T extends ReadonlyMap<infer K, infer V>
                  ? T extends Map<K, V>
                    ? Map<Travels<K, Allowed>, Travels<V, Allowed>>
                    : ReadonlyMap<Travels<K, Allowed>, Travels<V, Allowed>>
                  : T extends ReadonlySet<infer V>
                    ? T extends Set<V>
                      ? Set<Travels<V, Allowed>>
                      : ReadonlySet<Travels<V, Allowed>>
                    : T extends Instances // after Map and Set, which a WeakMap or WeakSet type also matches
                      ? NotSendable<'an instance of a class: send its data as a plain object'>
                      : { [K in keyof T]: K extends symbol ? NotSendable<'a property with a symbol key'> : Travels<T[K], Allowed> }

/**
 * A server function as its callers see it: each argument and the result as `Sendable` makes them,
 * and always a Promise (an async generator function's stream arrives as a promised async iterable).
 */
export type SendableFunction<F extends (...args: any[]) => unknown> = F extends (...args: infer Args) => infer Result
  ? (...args: { [K in keyof Args]: Sendable<Args[K]> }) => Promise<SendableResult<Awaited<Result>>>
  : never
