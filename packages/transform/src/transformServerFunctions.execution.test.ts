import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isServerReference } from '@use-server/runtime/server'
import { describe, expect, test } from 'vitest'
import { transformServerFunctions } from './transformServerFunctions.js'
import type { ServerFunctionInfo } from './types.js'

// Each case runs twice: the untransformed module calls its closures directly; the transformed one
// imports the real server runtime and goes the way the server does: the site yields a reference
// carrying its id and bound values, the function is found by its export (as the production
// registry finds it), and called with (...bound, ...args). The bound values also go through
// structuredClone, as they would through the wire.

interface Case {
  source: string
  /** TypeScript source (a namespace, say): the module is written as .ts. */
  typescript?: true
  /**
   * The closure (or several) to call, taken from the module. With no `calls`, the value itself (awaited)
   * is the result: for cases that call their functions inside the module.
   */
  get: (mod: Record<string, any>) => unknown
  /** Arguments of each successive call: a second list calls what the first call returned. */
  calls: unknown[][]
  /** The values the transformed reference binds, when the case is about them. */
  bound?: unknown[]
  /** False when the case binds what no wire could carry (objects with methods, functions). */
  serializable?: false
}

const cases: Record<string, Case> = {
  'arrow capturing parameters': {
    source: `export const make = (a, b) => async (c) => { 'use server'; return a + b + c }`,
    get: (m) => m.make(1, 2),
    calls: [[3]],
    bound: [1, 2],
  },
  'declaration called before it (helpers after return)': {
    source: `export function Page(post, user) {
      return { action: addComment }
      async function addComment(body) { 'use server'; return post.id + ':' + user.name + ':' + body }
    }`,
    get: (m) => m.Page({ id: 7, save() {} }, { name: 'ann', greet: () => 'hi' }).action,
    calls: [['hello']],
    bound: [7, 'ann'],
  },
  'declaration called before it in a class static block': {
    source: `export class Actions {
      static {
        Actions.ping = ping
        async function ping(name) { 'use server'; return 'pong ' + name }
      }
    }`,
    get: (m) => m.Actions.ping,
    calls: [['ann']],
  },
  'declaration after a const it captures stays in place': {
    source: `export function handlers(request) {
      const session = { id: request.id * 2 }
      async function logout(reason) { 'use server'; return [session.id, reason] }
      return logout
    }`,
    get: (m) => m.handlers({ id: 21 }),
    calls: [['bye']],
    bound: [42],
  },
  'member narrowing binds plain data out of an object with methods': {
    source: `export function Profile(user, post) {
      return async () => { 'use server'; return [user.profile.name, user.profile.email, post.id, post.author.id] }
    }`,
    get: (m) => m.Profile({ profile: { name: 'Ann', email: 'a@x', secret: () => 1 } }, { id: 1, author: { id: 2 }, save() {} }),
    calls: [[]],
    bound: ['Ann', 'a@x', 1, 2],
  },
  'optional chaining on missing values': {
    source: `export function Page(post, user) {
      return async () => { 'use server'; return [post?.title, user?.address?.city] }
    }`,
    get: (m) => [m.Page(null, undefined), m.Page({ title: 't' }, { address: { city: 'Lyon' } })],
    calls: [[]],
  },
  'method calls keep their receiver': {
    source: `export function Page(cart, user) {
      return async () => { 'use server'; return [user.profile.describe(), cart.total()] }
    }`,
    get: (m) => m.Page({ items: [1, 2], total() { return this.items.length } }, { profile: { name: 'x', describe() { return 'I am ' + this.name } } }),
    calls: [[]],
    serializable: false,
  },
  'one closure per loop iteration binds that iteration': {
    source: `export function buttons(rows) {
      const actions = []
      for (const row of rows) { const label = row.label.toUpperCase(); actions.push(async () => { 'use server'; return [row.id, label] }) }
      for (let i = 0; i < 2; i++) actions.push(async () => { 'use server'; return i })
      rows.forEach((row, position) => actions.push(async (suffix) => { 'use server'; return row.id + position + suffix }))
      return actions
    }`,
    get: (m) => m.buttons([{ id: 'a', label: 'x' }, { id: 'b', label: 'y' }]),
    calls: [['!']],
  },
  'var hoisting across blocks': {
    source: `export function Page(flag) {
      if (flag) { var message = 'on' } else { var message = 'off' }
      { var total = 3 }
      return async () => { 'use server'; if (flag) { var local = message } return [local, message, total] }
    }`,
    get: (m) => [m.Page(true), m.Page(false)],
    calls: [[]],
  },
  'shadowing in catch clauses, blocks and parameters': {
    source: `export function Page(error, x) {
      try { throw new Error('inner') } catch (error) {
        const fn = async (x = 5) => { 'use server'; { let error = 'block' } return [error.message, x] }
        return fn
      }
    }`,
    get: (m) => m.Page(new Error('outer'), 1),
    calls: [[]],
  },
  'destructured parameters with defaults': {
    source: `export function Page({ user: { id, tags = ['none'] }, ...rest }, [first, , third = first]) {
      return async (extra = id) => { 'use server'; return [id, tags, rest, first, third, extra] }
    }`,
    get: (m) => m.Page({ user: { id: 3 }, a: 1, b: 2 }, ['p', 'q']),
    calls: [[]],
  },
  'nested inline functions': {
    source: `export function Page(post, viewer) {
      return async function makeEditor(field) {
        'use server'
        const audit = viewer.name + ' edited ' + field
        return async function save(value) { 'use server'; return [post.id, field, value, audit] }
      }
    }`,
    get: (m) => m.Page({ id: 9, title: 'T' }, { name: 'Vi' }),
    calls: [['title'], ['New']],
  },
  'self-reference by declaration, const arrow and function name': {
    source: `export function Poller(job) {
      async function poll(n) { 'use server'; return n > 2 ? job.id : poll(n + 1) }
      const retry = async (n) => { 'use server'; return n > 0 ? retry(n - 1) : job.name }
      const named = async function again(n) { 'use server'; return n > 0 ? again(n - 1) : job.id * 2 }
      return [poll, retry, named]
    }`,
    get: (m) => m.Poller({ id: 4, name: 'j' }),
    calls: [[0]],
  },
  'mutual reference': {
    source: `export function Game(board, player) {
      const label = player.name
      async function ping(n) { 'use server'; return n > 0 ? pong(n - 1) : 'ping ' + label + ' ' + board.id }
      async function pong(n) { 'use server'; return n > 0 ? ping(n - 1) : 'pong ' + board.id }
      return [ping, pong]
    }`,
    get: (m) => m.Game({ id: 'b1' }, { name: 'P' }),
    calls: [[3]],
  },
  'object methods with computed, string and __proto__ keys': {
    source: `export function routes(site) {
      const key = site.action
      const table = {
        async [key](input) { 'use server'; return site.slug + ':' + input },
        async 'publish-draft'(id) { 'use server'; return 'publish ' + id + ' on ' + site.slug },
        async __proto__() { 'use server'; return 'own' },
      }
      return [Object.getPrototypeOf(table) === Object.prototype, Object.keys(table), table]
    }`,
    get: (m) => {
      const [prototypeKept, keys, table] = m.routes({ action: 'go', slug: 's' })
      expect(prototypeKept).toBe(true)
      expect(keys).toEqual(['go', 'publish-draft', '__proto__'])
      return [table.go, table['publish-draft'], table.__proto__]
    },
    calls: [['x']],
  },
  'static class methods': {
    source: `export function defineStore(table) {
      class Store {
        static async insert(row) { 'use server'; return table + '<-' + row }
        static async 'constructor'() { 'use server'; return 'static ' + table }
      }
      return [Store.insert, Store.constructor]
    }`,
    get: (m) => m.defineStore('posts'),
    calls: [['r1']],
  },
  'async generators': {
    source: `export function feed(channel) {
      async function* stream(since) { 'use server'; for (const m of channel.messages) if (m > since) yield m }
      return { stream, async *history() { 'use server'; yield* channel.messages } }
    }`,
    get: (m) => {
      const { stream, history } = m.feed({ messages: [1, 2, 3] })
      return [stream, history]
    },
    calls: [[1]],
  },
  'module-level inline functions work during module evaluation': {
    source: `export const early = likePost
      export async function likePost(id) { 'use server'; return 'liked ' + id }
      export default async function (x) { 'use server'; return [x, await likePost(x)] }`,
    get: (m) => [m.early, m.default],
    calls: [[5]],
  },
  "a 'use server' module returning an inline function": {
    source: `'use server'
      export async function createCounter(start) {
        const key = 'counter:' + start
        return async function increment(by) { 'use server'; return key + '+' + by }
      }`,
    get: (m) => m.createCounter,
    calls: [[10], [2]],
  },
  // Hoisting: an inline declaration is usable from the top of its scope, as the function was.
  'declaration called above its line, capturing a const declared above the call': {
    source: `export async function run(n) {
      const factor = n * 2
      const first = await triple(5)
      return [first, await triple(1)]
      async function triple(x) { 'use server'; return x * factor }
    }`,
    get: (m) => m.run(3),
    calls: [],
  },
  'mutual calls above both declarations': {
    source: `export async function game(board) {
      const label = board.name
      const result = await ping(3)
      return [result, await pong(0)]
      async function ping(n) { 'use server'; return n > 0 ? pong(n - 1) : 'ping ' + label }
      async function pong(n) { 'use server'; return n > 0 ? ping(n - 1) : 'pong ' + label + ' ' + board.id }
    }`,
    get: (m) => m.game({ name: 'P', id: 'b1' }),
    calls: [],
  },
  'mutual references used above their declarations, called through the server': {
    source: `export function game(board) {
      const label = board.name
      return [ping, pong]
      async function ping(n) { 'use server'; return n > 0 ? pong(n - 1) : 'ping ' + label }
      async function pong(n) { 'use server'; return n > 0 ? ping(n - 1) : 'pong ' + label + ' ' + board.id }
    }`,
    get: (m) => m.game({ name: 'P', id: 'b1' }),
    calls: [[3]],
  },
  'a declaration in a block, used above it, one per loop iteration': {
    source: `export function tags(items) {
      const out = []
      for (const item of items) {
        out.push(label)
        const tag = item.toUpperCase()
        async function label(suffix) { 'use server'; return tag + suffix }
      }
      return out
    }`,
    get: (m) => m.tags(['a', 'b']),
    calls: [['!']],
  },
  'a declaration in a plain block called above it': {
    source: `export async function blocky(x) {
      {
        const y = x + 1
        const early = await twice()
        return [early, await twice()]
        async function twice() { 'use server'; return [x * 2, typeof y] }
      }
    }`,
    get: (m) => m.blocky(4),
    calls: [],
  },
  'a declaration in a switch case, reached from an earlier case': {
    source: `export function pick(kind, base) {
      switch (kind) {
        case 'early': return early
        case 'late':
          async function early(x) { 'use server'; return base + x }
        default: return early
      }
    }`,
    get: (m) => [m.pick('early', 10), m.pick('other', 20)],
    calls: [[1]],
  },
  'a switch led by default, capturing a case-level let in and out of its TDZ': {
    source: `export async function sw(kind) {
      switch (kind) {
        default: return [await check().catch((e) => e.constructor.name)]
        case 1:
          let value = 'one'
          return [await check()]
          async function check() { 'use server'; return value }
      }
    }`,
    get: async (m) => [await m.sw(0), await m.sw(1)],
    calls: [],
  },
  'a switch with a lone default': {
    source: `export function only(x) {
      switch (x) { default: return g; async function g() { 'use server'; return x * 3 } }
    }`,
    get: (m) => m.only(4),
    calls: [[]],
    bound: [4],
  },
  'a declaration in a class static block, capturing a local declared below its use': {
    source: `export class Registry {
      static {
        Registry.handlers = [first]
        const prefix = 'p:'
        async function first(x) { 'use server'; return prefix + x }
      }
    }`,
    get: (m) => m.Registry.handlers[0],
    calls: [['a']],
  },
  'declarations in a TypeScript namespace, exported and not, used above their lines': {
    typescript: true,
    source: `export namespace Jobs {
      export const start = run
      export const helper = check
      const queue = 'q1'
      export async function run(id: string) { 'use server'; return queue + ':' + id + ':' + (await check()) }
      async function check() { 'use server'; return queue.length }
    }`,
    get: (m) => [m.Jobs.start, m.Jobs.run, m.Jobs.helper],
    calls: [['7']],
  },
  'a captured let in its TDZ fails the call where the original fails, not before': {
    source: `export async function probe() {
      const early = check().then((v) => 'ok ' + v, (e) => e.constructor.name)
      let value = 'ready'
      return [await early, await check()]
      async function check() { 'use server'; return value }
    }`,
    get: (m) => m.probe(),
    calls: [],
  },
  'an async generator declared below its use reads its values on the first next()': {
    source: `export async function collect(limit) {
      const items = stream(1)
      const max = limit
      const seen = []
      for await (const n of items) seen.push(n)
      return seen
      async function* stream(from) { 'use server'; for (let i = from; i <= max; i++) yield i }
    }`,
    get: (m) => m.collect(3),
    calls: [],
  },
  'a declaration reads a reassigned variable when called, as the function did': {
    source: `export function counter() {
      let count = 0
      const bump = () => { count++ }
      return [read, bump]
      async function read() { 'use server'; return count }
    }`,
    get: (m) => {
      const [read, bump] = m.counter()
      bump()
      bump()
      return read
    },
    calls: [[]],
    bound: [2],
  },
  'a nested inline declaration called above its line inside the outer server function': {
    source: `export function outer(user) {
      return async function make(prefix) {
        'use server'
        const suffix = '!'
        const made = await greet('x')
        return made === prefix + 'x5!' ? greet : 'the early call returned ' + made
        async function greet(name) { 'use server'; return prefix + name + user.id + suffix }
      }
    }`,
    get: (m) => m.outer({ id: 5 }),
    calls: [['hi '], ['y']],
  },
  'a default value reads the variable outside, though the body declares one of that name': {
    source: `export function Page(a, user) {
      async function save(read = () => ({ a, id: user.id })) { 'use server'; let a = 'body'; return [read(), a] }
      return save
    }`,
    get: (m) => m.Page('outside', { id: 3 }),
    calls: [[]],
    bound: ['outside', 3],
  },
  'a default value that is the function itself': {
    source: `export function Poller(job) {
      async function poll(n, again = poll) { 'use server'; return n > 0 ? again(n - 1) : job.id }
      return poll
    }`,
    get: (m) => m.Poller({ id: 'j1' }),
    calls: [[2]],
  },
  'a declaration sharing its name with a parameter or a var wins from the start': {
    source: `export function Page(save, post) {
      const early = save
      async function save() { 'use server'; return post.id }
      return early
    }
    export function Counter() { var count; async function count() { 'use server'; return 1 } return count }`,
    get: (m) => [m.Page('a string', { id: 8 }), m.Counter()],
    calls: [[]],
  },
  'captured function declarations and classes': {
    source: `export function Page(n) {
      function double(x) { return x * 2 }
      return async () => { 'use server'; return double(n) }
    }`,
    get: (m) => m.Page(21),
    calls: [[]],
    serializable: false,
  },
}

const dir = mkdtempSync(join(tmpdir(), 'use-server-inline-'))

/** Calls a closure, or a server reference the way the server will, and collects what an async generator yields. */
async function call(target: any, args: unknown[], spec: Case, functions: ServerFunctionInfo[] | null, mod: Record<string, any>) {
  let result
  if (functions && isServerReference(target) && functions.some((f) => f.id === target.$$id && f.kind === 'inline')) {
    const info = functions.find((f) => f.id === target.$$id)!
    const fn = mod[info.exportName] // production finds it by module and export name
    expect(target.$$bound ?? []).toHaveLength(info.bound.length) // leading parameters only a bound-values token may fill
    const bound = spec.serializable === false ? (target.$$bound ?? []) : structuredClone(target.$$bound ?? [])
    result = fn(...bound, ...args)
  } else {
    // untransformed, or an export of a 'use server' module (registered as itself)
    if (functions) expect(isServerReference(target)).toBe(true)
    result = target(...args)
  }
  return collect(await result)
}

async function collect(result: unknown) {
  if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
    const items = []
    for await (const item of result as AsyncIterable<unknown>) items.push(item)
    return items
  }
  return result
}

/** Functions in a result, as a placeholder: the original's closures and the references differ by nature. */
const withoutFunctions = (value: unknown): unknown =>
  typeof value === 'function' ? 'a function' : Array.isArray(value) ? value.map(withoutFunctions) : value

async function run(name: string, spec: Case, transformed: boolean) {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.${transformed ? 'server' : 'original'}.${spec.typescript ? 'ts' : 'mjs'}`)
  let functions: ServerFunctionInfo[] | null = null
  let code = spec.source
  if (transformed) {
    // the default runtime specifier: the test config resolves it to the runtime's source
    const result = transformServerFunctions(code, file, { target: 'server', root: dir })!
    ;({ code, functions } = result)
  }
  writeFileSync(file, code)
  const mod = await import(pathToFileURL(file).href)
  const got = await spec.get(mod)
  if (spec.calls.length === 0) return { results: withoutFunctions(got), bound: undefined }
  const results = []
  for (const first of Array.isArray(got) ? got : [got]) {
    let target: any = first
    let result: unknown
    for (const args of spec.calls) {
      result = await call(target, args, spec, functions, mod)
      target = result
    }
    results.push(withoutFunctions(result))
  }
  const bound = transformed && !Array.isArray(got) ? (got as { $$bound: unknown[] }).$$bound : undefined
  return { results, bound }
}

describe('transformed server output behaves like the original closures', () => {
  test.each(Object.entries(cases))('%s', async (name, spec) => {
    const original = await run(name, spec, false)
    const transformed = await run(name, spec, true)
    expect(transformed.results).toEqual(original.results)
    if (spec.bound) expect(transformed.bound).toEqual(spec.bound)
  })
})
