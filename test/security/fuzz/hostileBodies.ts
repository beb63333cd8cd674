import { stringify } from 'devalue'
import fc from 'fast-check'
import { anyValue } from '../../../packages/runtime/src/codec/codecCorpus.test-support.js'
import { callEntries } from '../../../packages/runtime/src/server/request/hostilePayloads.test-support.js'

/** One request body for the fuzzer: what to send, and whether it is a well-formed call (which must echo back exactly). */
export interface HostileBody {
  kind: 'valid' | 'mutated' | 'graph' | 'random' | 'multipart' | 'gadget' | 'queries'
  body: string | Uint8Array
  contentType: string
  /** For a well-formed call: the envelope text the echo function must answer with. */
  echo?: string
  /** Sent to the function that converts its arguments the ways the language does on its own (else the echo). */
  coerce?: boolean
  /** A queries header (single flight), sent to a function that revalidates the `items` tag. */
  queries?: string
}

const validArgs = fc.array(anyValue, { maxLength: 4 })

/** Calls the client runtime could send: any supported values, written by devalue. */
export const validCall: fc.Arbitrary<HostileBody> = validArgs.map((args) => ({
  kind: 'valid',
  body: stringify(args),
  contentType: 'application/json',
  echo: stringify({ value: args }),
}))

const TAGS = ['Date', 'RegExp', 'BigInt', 'Map', 'Set', 'Object', 'null', 'URL', 'URLSearchParams', 'ArrayBuffer', 'Uint8Array', 'Float64Array', 'BigInt64Array', 'DataView', 'File', 'Blob', 'FormData', 'ServerReference', 'Function', 'Promise', '__proto__', 'constructor']
/** Keys the language calls on its own (`await`, string and number conversion, JSON), and others a reference may sit under. */
const IMPLICIT_KEYS = ['then', 'toString', 'valueOf', 'toJSON', 'toLocaleString', 'constructor'] as const
const KEYS = ['__proto__', 'prototype', 'get', '', ...IMPLICIT_KEYS]
const reference = fc.oneof(fc.integer({ min: -10, max: 40 }), fc.constantFrom(-7, -2, -1, 2 ** 32, 1e21, 0.5, Number.MAX_SAFE_INTEGER))

/** One edit of a flat devalue array; positions wrap around its length. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ op: fc.constant('reference' as const), at: fc.nat(), slot: fc.nat(), to: reference }),
  fc.record({ op: fc.constant('key' as const), at: fc.nat(), key: fc.constantFrom(...KEYS), to: reference }),
  fc.record({ op: fc.constant('tag' as const), at: fc.nat(), tag: fc.constantFrom(...TAGS), rest: fc.array(fc.oneof(reference, fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), { maxLength: 4 }) }),
  fc.record({ op: fc.constant('truncate' as const), length: fc.nat() }),
  fc.record({ op: fc.constant('append' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({
    op: fc.constant('reference-to' as const),
    at: fc.nat(),
    id: fc.constantFrom('fuzz-echo', 'fuzz-record', 'fuzz-bound', '__proto__', 'missing'),
    token: fc.option(fc.base64String({ maxLength: 80 }), { nil: undefined }),
    // a server function on its own, or under a key of an object, a null-prototype object or a Map
    holder: fc.constantFrom('none', 'object', 'null', 'Map'),
    key: fc.constantFrom(...KEYS),
  }),
)
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never

function mutate(values: unknown[], edit: Mutation): unknown[] {
  if (values.length === 0) return values
  const at = 'at' in edit ? edit.at % values.length : 0
  const entry = values[at]
  switch (edit.op) {
    case 'replace':
      values[at] = edit.value
      break
    case 'reference':
      if (Array.isArray(entry) && entry.length > 0) entry[edit.slot % entry.length] = edit.to
      else if (entry && typeof entry === 'object') {
        const keys = Object.keys(entry)
        if (keys.length > 0) (entry as Record<string, unknown>)[keys[edit.slot % keys.length]!] = edit.to
      }
      break
    case 'key': {
      // defineProperty, so that `__proto__` becomes an own key (as JSON.parse makes it), not the prototype
      const target = entry && typeof entry === 'object' && !Array.isArray(entry) ? entry : (values[at] = {})
      Object.defineProperty(target, edit.key, { value: edit.to, enumerable: true, configurable: true, writable: true })
      break
    }
    case 'tag':
      values[at] = [edit.tag, ...edit.rest]
      break
    case 'truncate':
      values.length = Math.max(1, edit.length % (values.length + 1))
      break
    case 'append':
      values.push(edit.value)
      break
    case 'reference-to': {
      const payload = values.length
      values.push({ id: payload + 1, ...(edit.token === undefined ? {} : { token: payload + 2 }) }, edit.id, ...(edit.token === undefined ? [] : [edit.token]))
      const reference = ['ServerReference', payload]
      if (edit.holder === 'none') {
        values[at] = reference
        break
      }
      const index = values.push(reference) - 1
      if (edit.holder === 'object') values[at] = Object.defineProperty({}, edit.key, { value: index, enumerable: true, configurable: true, writable: true })
      else if (edit.holder === 'null') values[at] = ['null', edit.key, index]
      else values[at] = ['Map', values.push(edit.key) - 1, index]
      break
    }
  }
  return values
}

/** Well-formed calls, then edited: references out of range, pollution keys, wrong tags, cut short, pointing at server functions. */
export const mutatedCall: fc.Arbitrary<HostileBody> = fc.tuple(validArgs, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([args, edits]) => {
  const values = edits.reduce<unknown[]>((flat, edit) => mutate(flat, edit), JSON.parse(stringify(args)) as unknown[])
  return { kind: 'mutated', body: JSON.stringify(values), contentType: 'application/json' }
})

/** Anything at all: JSON of any shape, arbitrary text, arbitrary bytes, under the two accepted types. */
export const randomBody: fc.Arbitrary<HostileBody> = fc.oneof(
  fc.json({ maxDepth: 4 }).map((body) => ({ kind: 'random' as const, body, contentType: 'application/json' })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((body) => ({ kind: 'random' as const, body, contentType: 'application/json' })),
  fc.uint8Array({ maxLength: 200 }).map((body) => ({ kind: 'random' as const, body, contentType: 'application/json; charset=utf-8' })),
  fc.uint8Array({ maxLength: 200 }).map((body) => ({ kind: 'random' as const, body, contentType: 'multipart/form-data; boundary=x' })),
)

const partName = fc.oneof(fc.constantFrom('$payload', '$bound', '$0', '$1', '$999999', '__proto__', 'constructor', '$ACTION_ID_x'), fc.string({ maxLength: 10 }))
const part = fc.record({
  name: partName,
  file: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
  value: fc.oneof(validCall.map((call) => call.body as string), fc.string({ maxLength: 40 }), fc.base64String({ maxLength: 80 })),
})

/** Multipart bodies with any fields: payloads, tokens, file parts that are and are not referenced, odd names. */
export const multipartCall: fc.Arbitrary<HostileBody> = fc.tuple(fc.array(part, { maxLength: 6 }), fc.boolean()).map(([parts, closed]) => {
  const boundary = 'fuzz-boundary'
  const body =
    parts
      .map(({ name, file, value }) => `--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, '')}"${file === undefined ? '' : `; filename="${file.replace(/["\r\n]/g, '')}"`}\r\n\r\n${value}\r\n`)
      .join('') + (closed ? `--${boundary}--\r\n` : '')
  return { kind: 'multipart', body, contentType: `multipart/form-data; boundary=${boundary}` }
})

/** The ids a gadget's references name: one that counts its calls, one that rejects. */
export interface GadgetTargets {
  record: string
  reject: string
}

/**
 * Reference gadgets (the crash of issue 12): a well-formed call whose values hide a server function
 * where the language or a reviver would call it on its own: under an implicit key of an object or a
 * null-prototype object, as the `valueOf` of a File's part number, in a Map, bound inside another
 * reference, with a real, unknown or forged id and token. Sent to a function that converts its
 * arguments (template, String, Number, JSON.stringify, await): nothing may call the reference,
 * no rejection may go unhandled.
 */
export const gadgetCall = (targets: GadgetTargets): fc.Arbitrary<HostileBody> =>
  fc
    .tuple(
      validArgs,
      fc.array(
        fc.record({
          id: fc.constantFrom(targets.record, targets.reject, 'unknown-id', '__proto__'),
          token: fc.option(fc.constantFrom('AAAAAAAAAAAAAAAA', 'AQ' + 'A'.repeat(60)), { nil: undefined }),
          holder: fc.constantFrom('object', 'null', 'file', 'map', 'bound'),
          key: fc.constantFrom(...IMPLICIT_KEYS, 'get', 'title'),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .map(([args, gadgets]) => {
      const values = JSON.parse(stringify(args)) as unknown[]
      const add = (value: unknown) => values.push(value) - 1
      const root = values[0] as number[]
      for (const { id, token, holder, key } of gadgets) {
        const payload = add(token === undefined ? { id: add(id) } : { id: add(id), token: add(token) })
        const reference = add(['ServerReference', payload])
        const keyed = (k: string) => add(Object.defineProperty({}, k, { value: reference, enumerable: true }))
        if (holder === 'object') root.push(keyed(key))
        else if (holder === 'null') root.push(add(['null', key, reference]))
        else if (holder === 'file') root.push(add(['File', add([keyed('valueOf'), add(0)])]))
        else if (holder === 'map') root.push(add(['Map', add(key), reference]))
        else root.push(add(['ServerReference', add({ id: add(targets.record), bound: add([keyed(key)]) })]))
      }
      return { kind: 'gadget' as const, body: JSON.stringify(values), contentType: 'application/json', coerce: true }
    })

const liveQuery = fc.oneof(
  fc.record({
    call: fc.oneof(
      fc.constantFrom('fuzz-echo', 'fuzz-bound', 'missing', '__proto__').map((id) => JSON.stringify([['ServerReference', 1], { id: 2, bound: 3 }, id, []])),
      mutatedCall.map((call) => call.body as string),
      fc.string({ maxLength: 40 }),
    ),
    tags: fc.array(fc.oneof(fc.constant('items'), fc.string({ maxLength: 8 })), { maxLength: 3 }),
    paths: fc.array(fc.oneof(fc.constant('/items'), fc.string({ maxLength: 8 })), { maxLength: 3 }),
  }),
  fc.record({ page: fc.oneof(fc.constantFrom('/items', '//evil', '/'), fc.string({ maxLength: 12 })), tags: fc.constant(['items']), paths: fc.constant([]) }),
  fc.jsonValue({ maxDepth: 2 }),
)

/**
 * Calls with a queries header of single flight: well-formed and mutated entries (server functions
 * real and not, calls that are hostile payloads, pages that are not paths), random JSON, random text.
 */
export const queriesCall: fc.Arbitrary<HostileBody> = fc
  .oneof(
    fc.array(liveQuery, { maxLength: 6 }).map((entries) => Buffer.from(JSON.stringify(entries)).toString('base64url')),
    fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
    fc.string({ maxLength: 60 }).map((text) => text.replace(/[^\x21-\x7e]/g, 'x')),
  )
  .map((queries) => ({ kind: 'queries' as const, body: '[[]]', contentType: 'application/json', queries }))

/**
 * Flat arrays of the types the server decodes in one pass (objects, arrays with holes, primitives, Date,
 * Map, Set) with hostile indices, keys and depths, some of other types among them.
 */
export const graphCall: fc.Arbitrary<HostileBody> = callEntries.map((entries) => ({ kind: 'graph', body: `[${entries.join(',')}]`, contentType: 'application/json' }))

/** The mix the fuzzer draws from. */
export const hostileBody: fc.Arbitrary<HostileBody> = fc.oneof(
  { arbitrary: validCall, weight: 3 },
  { arbitrary: mutatedCall, weight: 4 },
  { arbitrary: graphCall, weight: 1 },
  { arbitrary: randomBody, weight: 2 },
  { arbitrary: multipartCall, weight: 1 },
  { arbitrary: queriesCall, weight: 1 },
)
