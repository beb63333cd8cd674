import { readDevalue } from '../../packages/runtime/src/codec/readDevalue.js'
import { toNodeListener } from '@use-server/runtime/node'
import { isValidationError, redirect, registerServerReference, validated, validatedState } from '@use-server/runtime/server'
import { clientDataScript, createRequestHandler } from '@use-server/runtime/ssr'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { useActionState } from 'react'
import { renderToReadableStream } from 'react-dom/server'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { hiddenFields } from './support/pageForms.js'

// Validated forms posted without JavaScript to a React SSR page (production mode): the page renders
// with the errors and the values sent, as the state useActionState restores (validatedState) or as the
// render's `error` (a plain <form action={validated(…)}>), and never with a password or a file's bytes.

const subscribers: string[] = []
const subscribe = registerServerReference(
  validated(v.object({ email: v.pipe(v.string('Enter your email.'), v.email('That is not an email address.')) }), async ({ email }) => {
    subscribers.push(email)
    redirect('/thanks')
  }),
  'validation-subscribe',
  'subscribe',
)
const register = registerServerReference(
  validatedState(
    {
      input: z.object({
        user: z.object({ name: z.string({ error: 'Tell us your name.' }).min(2, 'A name has at least 2 characters.') }),
        password: z.string({ error: 'Choose a password.' }).min(8, 'A password has at least 8 characters.'),
        avatar: z.instanceof(File).optional(),
      }),
      redact: ['password'],
    },
    async ({ user }) => `Registered ${user.name}`,
  ),
  'validation-register',
  'register',
)

function Register() {
  const [state, action] = useActionState(register, {})
  return (
    <form action={action} id="register">
      <input name="user.name" defaultValue={state.values?.user?.name} />
      <input name="password" type="password" defaultValue={state.values?.password} />
      <input name="avatar" type="file" />
      <output id="register-state">{state.ok ? state.data : Object.entries(state.fieldErrors ?? {}).map(([name, messages]) => `${name}: ${messages?.join(' ')}`).join(' | ')}</output>
    </form>
  )
}

function Page({ error }: { error: unknown }) {
  const failed = isValidationError(error) ? error : undefined
  return (
    <main>
      <form action={subscribe} id="subscribe">
        <input name="email" defaultValue={(failed?.values as { email?: string } | undefined)?.email} />
        {failed?.fieldErrors.email && <p id="subscribe-error">{failed.fieldErrors.email[0]}</p>}
      </form>
      <Register />
    </main>
  )
}

let server: Server
let origin: string
beforeAll(async () => {
  // Tokens sealed while rendering (useActionState's previous state) use USE_SERVER_KEY, as the handler does.
  process.env.USE_SERVER_KEY = Buffer.alloc(32, 5).toString('base64')
  const handle = createRequestHandler({
    dev: false,
    onError: () => {},
    render: async (_request, { formState, status, error }) => {
      const stream = await renderToReadableStream(<Page error={error} />, { formState, bootstrapScriptContent: await clientDataScript({ formState }) })
      await stream.allReady
      return new Response(stream, { status, headers: { 'content-type': 'text/html; charset=utf-8' } })
    },
  })
  server = createServer(toNodeListener(handle))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  delete process.env.USE_SERVER_KEY
  await new Promise((r) => server.close(r))
})

/** The fields a browser without JavaScript sends for the form `id` (hidden ones from the page, plus `fields`). */
async function submit(id: string, fields: Record<string, string | File>, page?: string): Promise<Response> {
  const html = page ?? (await (await fetch(`${origin}/`)).text())
  const form = new RegExp(`<form[^>]*id="${id}"[^>]*>([\\s\\S]*?)</form>`).exec(html)
  if (!form) throw new Error(`no form ${id} in ${html}`)
  const data = hiddenFields(form[1]!)
  for (const [name, value] of Object.entries(fields)) data.append(name, value)
  return fetch(`${origin}/`, { method: 'POST', body: data, redirect: 'manual', headers: { origin } })
}
function clientData(page: string): { formState: [state: Record<string, unknown>, key: string, id: string, bound: number] | null } {
  const script = /self\.__USE_SERVER_DATA__=("(?:[^"\\]|\\.)*");/.exec(page)![1]!
  return readDevalue(JSON.parse(script), {}) as never
}

describe('validated forms posted without JavaScript', () => {
  test('<form action={validated(…)}>: a refused input renders the page with a 422 and the ValidationError as `error`', async () => {
    const response = await submit('subscribe', { email: 'nobody' })
    expect(response.status).toBe(422)
    const page = await response.text()
    expect(page).toContain('<p id="subscribe-error">That is not an email address.</p>')
    expect(page).toMatch(/<input name="email" value="nobody"\/>/)
    expect(subscribers).toEqual([])
  })

  test('<form action={validated(…)}>: a good input runs the function (here: a 303 to its redirect)', async () => {
    const response = await submit('subscribe', { email: 'ada@example.com' })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/thanks')
    expect(subscribers).toEqual(['ada@example.com'])
  })

  test('validatedState + useActionState: a refused input renders (422) with its errors and values, and hydrates with them', async () => {
    const avatar = new File(['SECRET-FILE-BYTES'], 'me.png', { type: 'image/png' })
    const response = await submit('register', { 'user.name': 'A', password: 'hunter2', avatar })
    expect(response.status).toBe(422)
    const page = await response.text()
    expect(page).toContain('user.name: A name has at least 2 characters. | password: A password has at least 8 characters.')
    expect(page).toContain('<input name="user.name" value="A"/>')
    expect(page).toContain('<!--F!-->') // React matched the posted form to this hook
    // neither the password nor the file comes back, in the HTML or in the data for hydrateRoot
    expect(page).not.toContain('hunter2')
    expect(page).not.toContain('SECRET-FILE-BYTES')
    const { formState } = clientData(page)
    expect(formState![2]).toBe('validation-register')
    expect(JSON.parse(JSON.stringify(formState![0]))).toEqual({
      ok: false,
      fieldErrors: { 'user.name': ['A name has at least 2 characters.'], password: ['A password has at least 8 characters.'] },
      formErrors: [],
      values: { user: { name: 'A' } },
    })

    // submitted again from the page the failure rendered: the previous state rides in the sealed token
    const again = await submit('register', { 'user.name': 'Ada', password: 'correct horse' }, page)
    expect(again.status).toBe(200)
    expect(await again.text()).toContain('<output id="register-state">Registered Ada</output>')
  })

  test('hostile field names are a 422 with a form error, never a 500', async () => {
    for (const name of ['__proto__.polluted', 'user[__proto__][polluted]', `user${'.a'.repeat(40)}`, 'user.name.first']) {
      const response = await submit('register', { 'user.name': 'Ada', password: 'correct horse', [name]: 'x' })
      expect(response.status, name).toBe(422)
      expect(clientData(await response.text()).formState![0].formErrors, name).toEqual([expect.stringMatching(/^The form field ".*" is not accepted/)])
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
