import { isValidationError, type ValidationError } from '@use-server/runtime/client'
import { registerServerReference, validatedState } from '@use-server/runtime/server'
import { decodeFormAction } from '@use-server/runtime/ssr'
import { stringify } from 'devalue'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { sealBoundValues } from '../../packages/runtime/src/server/security/boundToken.js'
import { getKeyRing } from '../../packages/runtime/src/server/security/keys.js'
import { expectNothingLogged, expectUnharmed } from './support/expectUnharmed.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { pageClient } from './support/pageClient.js'

// Field names built to pollute prototypes, exhaust the stack or memory, or amplify an answer, sent
// to validated functions of the production build as FormData (the way a page's form reaches them):
// `formObject` answers with the object its form became, `formValues` with the values it would send
// back, `saveRows` with issues. Then the same names through the page's no-JS door, in process.

let app: HostileApp
let call: (name: string, ...args: unknown[]) => Promise<unknown>
beforeAll(async () => {
  app = await startHostileApp()
  const stub = pageClient(app)
  call = (name, ...args) => stub(name)(...args)
}, 120_000)
afterAll(async () => {
  if (app) expectNothingLogged(app)
  await app?.remove()
})

function form(entries: Array<[string, string | Blob]>): FormData {
  const data = new FormData()
  for (const [name, value] of entries) data.append(name, value)
  return data
}
/** The object a form became on the server, with the time it took to answer. */
async function converted(entries: Array<[string, string | Blob]>): Promise<{ value: any; ms: number }> {
  const start = performance.now()
  const value = await call('formObject', form(entries))
  return { value, ms: performance.now() - start }
}
/** The refusal of a form, as the page gets it: a ValidationError with one form-level issue. */
async function refusal(entries: Array<[string, string | Blob]>): Promise<string> {
  const error = await call('formObject', form(entries)).then(
    () => expect.unreachable('the form was accepted'),
    (e: unknown) => e,
  )
  expect(isValidationError(error)).toBe(true)
  expect(error).toMatchObject({ status: 422, code: 'VALIDATION' })
  const { issues } = error as ValidationError
  expect(issues).toHaveLength(1)
  expect(issues[0]!.path).toEqual([])
  return issues[0]!.message
}
/** Compares content: the objects a form becomes have no prototype. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value))

describe('prototype keys in field names', () => {
  test.each(['__proto__', '__proto__.polluted', '__proto__[polluted]', 'a.__proto__.polluted', 'a[__proto__][polluted]', 'a[0].__proto__', 'a[0][__proto__]', 'x.y.z.__proto__'])(
    '%j refuses the form before the schema runs',
    async (name) => {
      expect(await refusal([['ok', '1'], [name, 'yes']])).toMatch(/^The form field ".*" is not accepted: "__proto__" cannot be a key\.$/)
      await expectUnharmed(app)
    },
  )

  test.each(['constructor', 'constructor.prototype.polluted', 'a.constructor.prototype.polluted', 'a[constructor][prototype][polluted]', 'prototype.polluted', 'a[0].constructor', 'toString', 'hasOwnProperty.call'])(
    '%j is data: an own key of an object without a prototype',
    async (name) => {
      const { value } = await converted([[name, 'yes']])
      expect(Object.getPrototypeOf(value)).toBeNull()
      const path = name.replace(/\[(\d+)\]/g, '.$1').replace(/\[([^\]]+)\]/g, '.$1').split('.')
      let node = value
      for (const key of path.slice(0, -1)) node = /^\d+$/.test(key) ? node[0] : node[key]
      expect(Object.getOwnPropertyDescriptor(node, path.at(-1)!)?.value).toBe('yes')
      await expectUnharmed(app)
    },
  )

  test('the literal names `[__proto__]` and `__proto__[` are keys as written (they are not paths)', async () => {
    expect(Object.keys((await converted([['[__proto__]', 'a'], ['__proto__[', 'b']])).value)).toEqual(['[__proto__]', '__proto__['])
    await expectUnharmed(app)
  })
})

describe('deep, huge and many', () => {
  test('32 segments are accepted, 33 refused; a 100 000-segment name is refused at once', async () => {
    const deep = 'a' + '.a'.repeat(31)
    let node = (await converted([[deep, 'bottom']])).value
    for (let i = 0; i < 31; i++) node = node.a
    expect(node.a).toBe('bottom')
    expect(await refusal([[deep + '.a', 'x']])).toMatch(/has more than 32 parts \(maxDepth\)/)
    const start = performance.now()
    expect(await refusal([['a' + '[0]'.repeat(100_000), 'x']])).toMatch(/more than 32 parts/)
    expect(performance.now() - start).toBeLessThan(1000)
    await expectUnharmed(app)
  })

  test('huge indices order a list and never size it: a[999999999] is a one-element list', async () => {
    expect(plain((await converted([['a[999999999]', 'x']])).value)).toEqual({ a: ['x'] })
    expect(plain((await converted([['a[999999999999999]', 'x'], ['a[7]', 'y']])).value)).toEqual({ a: ['y', 'x'] })
    // 16 digits would lose precision: it is a key, and beside an index a conflict
    expect(plain((await converted([['a[9999999999999999]', 'x']])).value)).toEqual({ a: { '9999999999999999': 'x' } })
    expect(await refusal([['a[0]', 'x'], ['a[9999999999999999]', 'y']])).toMatch(/"a" is used in two ways/)
    await expectUnharmed(app)
  })

  test('1 000 lists each at index 10^14 make 1 000 one-element lists, quickly (nothing is allocated by index)', async () => {
    const entries = Array.from({ length: 1000 }, (_, i): [string, string] => [`list${i}[${10 ** 14 + i}]`, String(i)])
    const { value, ms } = await converted(entries)
    expect(Object.keys(value)).toHaveLength(1000)
    expect(value.list999).toEqual(['999'])
    expect(ms).toBeLessThan(2000)
    await expectUnharmed(app)
  })

  test('20 000 fields: repeated names, nested names and lists of objects, converted in one pass', async () => {
    const entries: Array<[string, string]> = []
    for (let i = 0; i < 5000; i++) entries.push(['tag', `t${i}`], [`rows[${i}].a`, 'x'], [`rows[${i}].b`, 'y'], [`m.k${i}`, 'v'])
    const { value, ms } = await converted(entries)
    expect(value.tag).toHaveLength(5000)
    expect(value.rows).toHaveLength(5000)
    expect(Object.keys(value.m)).toHaveLength(5000)
    expect(ms).toBeLessThan(3000)
    await expectUnharmed(app)
  })

  test('names that are only brackets and dots are keys as written', async () => {
    const names = ['[]', '[[]]', '[0]', '.', '..', '...', ']', '[', '][', '[.]', 'a[]b', 'a..b', 'a.', '[]]']
    const { value } = await converted(names.map((name): [string, string] => [name, name]))
    expect(Object.keys(value).sort()).toEqual([...names].sort())
    for (const name of names) expect(value[name]).toBe(name)
    await expectUnharmed(app)
  })
})

describe('what comes back', () => {
  test('a refused form sends back its text values: never file contents, never a redacted field', async () => {
    const state = (await call(
      'formValues',
      {},
      form([['title', 'Kept'], ['password', 'hunter2'], ['upload', new File(['FILE-BYTES-NEVER-ECHOED'], 'a.txt')], ['files[]', new File(['MORE-BYTES'], 'b.txt')]]),
    )) as { ok: boolean; values: unknown; formErrors: string[] }
    expect(state.ok).toBe(false)
    expect(plain(state.values)).toEqual({ title: 'Kept', files: [null] })
    expect(JSON.stringify(state)).not.toMatch(/hunter2|FILE-BYTES|MORE-BYTES/)
    await expectUnharmed(app)
  })

  test('10 000 invalid rows make at most 1 000 issues: a small form cannot make a huge answer', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i): [string, string] => [`rows[${i}].c`, ''])
    const error = await call('saveRows', form(rows)).then(
      () => expect.unreachable('accepted'),
      (e: unknown) => e,
    )
    expect(isValidationError(error)).toBe(true)
    const { issues, message } = error as ValidationError
    expect(issues).toHaveLength(1000)
    expect(message).toMatch(/\(and 19999 more issues\)$/)
    await expectUnharmed(app)
  })

  test('a name used as a value and as a group of fields is refused, in any order', async () => {
    expect(await refusal([['a', '1'], ['a.b', '2']])).toMatch(/"a" is used in two ways/)
    expect(await refusal([['a.b', '2'], ['a', '1']])).toMatch(/"a" is used in two ways/)
    expect(await refusal([['a[0]', '1'], ['a[x]', '2']])).toMatch(/"a" is used in two ways/)
    await expectUnharmed(app)
  })
})

describe('through the no-JS door (decodeFormAction, in process)', () => {
  const ran: unknown[] = []
  registerServerReference(
    validatedState(z.object({ title: z.string() }).loose(), async (input) => void ran.push(input)),
    'validation-door',
    'door',
  )
  const key = Buffer.alloc(32, 4).toString('base64')
  // As react-dom/server renders a useActionState form: the previous state sealed as the bound value.
  const post = async (fields: Array<[string, string]>) => {
    const token = sealBoundValues(await getKeyRing({ key }, false), 'validation-door', stringify([{}]))
    const data = form([['$ACTION_REF_1', ''], ['$ACTION_1:id', 'validation-door'], ['$ACTION_1:token', await token], ['$ACTION_KEY', 'k0'], ...fields])
    return decodeFormAction(new Request('http://app.test/', { method: 'POST', body: data, headers: { host: 'app.test' } }), { dev: false, key })
  }

  test.each(['__proto__[polluted]', 'a.__proto__.polluted', 'a' + '.b'.repeat(40)])('%j renders the page with a 422 and a form error; the function never runs', async (name) => {
    const outcome = await post([['title', 'x'], [name, 'yes']])
    expect(outcome).toMatchObject({ type: 'render', status: 422 })
    const [state] = (outcome as unknown as { formState: [{ formErrors: string[] }] }).formState
    expect(state.formErrors).toEqual([expect.stringMatching(/^The form field ".*" is not accepted/)])
    expect(ran).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test('constructor and prototype names are data the schema may keep (here: a loose object)', async () => {
    const outcome = await post([['title', 'x'], ['constructor.prototype.polluted', 'yes']])
    expect(outcome).toMatchObject({ type: 'render', status: 200 })
    expect(plain(ran)).toEqual([{ title: 'x', constructor: { prototype: { polluted: 'yes' } } }])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted')
  })
})
