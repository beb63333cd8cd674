// Type tests, compiled by `tsc -p tsconfig.tests.json` in the test command (never run): every
// `@ts-expect-error` line must fail to compile, and every other line must compile.
import { serverFunction, type Sendable, type SendableFunction } from '@use-server/runtime/server'

// Exports of a 'use server' module, as an app writes them.
const savePost = serverFunction(async (post: { title: string; tags: Set<string>; at: Date; cover?: File }, extra?: Map<string, bigint>) => ({
  id: 1n,
  savedAt: new Date(),
  meta: new Map([['views', 1]]),
}))
const makeCalculator = serverFunction(async () => ({ compute: () => 42, label: 'answer' }))
const subscribe = serverFunction(async (options: { onDone: () => void; every: number }) => options.every)
const schedule = serverFunction(async (options: { then: () => Promise<string>; every: number }) => options.every)
const rows = serverFunction(async function* (from: number) {
  yield { n: from }
})
const likeLater = serverFunction(async () => savePost) // a server function is a value like any other
const greet = serverFunction(async () => 'hello')
const failing = serverFunction(async () => new Error('no'))
const headersOf = serverFunction(async () => new Headers())
const deferred = serverFunction(async () => ({ later: Promise.resolve(1) }))
const keyed = serverFunction(async (value: { [Symbol.iterator]: () => void }) => value)
const search = serverFunction(async (query: { text: string; pattern?: RegExp }) => ({ matcher: new RegExp(query.text) }))

export async function callSites(file: File) {
  const saved = await savePost({ title: 'Hello', tags: new Set(['a']), at: new Date(), cover: file }, new Map([['x', 2n]]))
  saved.id satisfies bigint
  saved.savedAt satisfies Date
  saved.meta.get('views') satisfies number | undefined

  const calculator = await makeCalculator()
  calculator.label satisfies string
  // @ts-expect-error a function in a result does not arrive: calling it is an error at the call site
  calculator.compute()
  // @ts-expect-error …and so is giving it a function type
  const compute: () => number = calculator.compute
  void compute

  // @ts-expect-error a callback cannot be sent as an argument
  await subscribe({ every: 5, onDone: () => {} })
  await schedule({ every: 5, then: greet }) // a server function may be passed
  // @ts-expect-error a string where a number is expected is still an error (the mapping keeps the types)
  await schedule({ every: '5', then: async () => 'x' })

  for await (const row of await rows(1)) row.n satisfies number
  // @ts-expect-error the stream arrives as a promise of an async iterable: await the call first
  for await (const row of rows(1)) void row

  const again = await likeLater()
  await again({ title: 'x', tags: new Set(), at: new Date() })

  // @ts-expect-error an Error is not sent as a value
  ;(await failing()).message satisfies string
  // @ts-expect-error Headers is a class instance the codec refuses
  ;(await headersOf()).get('x')
  // @ts-expect-error a promise inside a result does not arrive
  await (await deferred()).later.then((n) => n)
  // @ts-expect-error a symbol-keyed property is refused
  await keyed({ [Symbol.iterator]: () => {} })

  // A RegExp may come back, but servers refuse one in arguments (unless limits.allowRegExp).
  ;(await search({ text: 'a+' })).matcher satisfies RegExp
  // @ts-expect-error a RegExp argument is refused by default
  await search({ text: 'a', pattern: /a+/ })
}

// Sendable on its own, for functions declared with the `function` keyword.
async function rename(post: Sendable<{ id: number; title: string; render: () => string }>): Promise<Sendable<{ ok: boolean }>> {
  return { ok: post.id > 0 }
}
// @ts-expect-error rendering is a function: the argument's type says it cannot be sent
void rename({ id: 1, title: 'x', render: () => 'x' })

export async function badResult(): Promise<Sendable<{ compute: () => number }>> {
  // @ts-expect-error a result that cannot be sent is an error where it is returned
  return { compute: () => 1 }
}

// The mapping leaves sendable types exactly as they were.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Post = { id: number; title?: string; tags: readonly string[]; pair: [Date, URL]; parent: Post | null; raw: Uint8Array; data: FormData; query: URLSearchParams }
;(true) satisfies Same<Sendable<Post>, Post>
;(true) satisfies Same<Sendable<Map<string, Set<bigint>>>, Map<string, Set<bigint>>>
;(true) satisfies Same<Sendable<any>, any>
;(true) satisfies Same<Sendable<unknown>, unknown>
;(true) satisfies Same<Sendable<string | undefined>, string | undefined>
// @ts-expect-error a Map of callbacks is not the same once sent
;(true) satisfies Same<Sendable<Map<string, () => void>>, Map<string, () => void>>
;(true) satisfies Same<ReturnType<SendableFunction<(a: number) => number>>, Promise<number>>
