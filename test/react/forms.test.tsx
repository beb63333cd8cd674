import { readDevalue } from '../../packages/runtime/src/codec/readDevalue.js'
import { toNodeListener } from '@use-server/runtime/node'
import { cookies, redirect, registerServerReference, revalidatePath } from '@use-server/runtime/server'
import { clientDataScript, createRequestHandler, type ReactFormState } from '@use-server/runtime/ssr'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { useActionState } from 'react'
import { renderToReadableStream } from 'react-dom/server'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hiddenFields, unescapeHtml } from './support/pageForms.js'

const posts: Array<{ id: number; title: string }> = []
const createPost = registerServerReference(
  async (form: FormData) => {
    const title = String(form.get('title') ?? '')
    posts.push({ id: posts.length + 1, title })
    cookies().set('last-title', title)
    revalidatePath('/posts')
    redirect(`/posts/${posts.length}`)
  },
  'forms-create',
  'createPost',
)
const deletePost = registerServerReference(
  async (form: FormData) => {
    const index = posts.findIndex((p) => p.id === Number(form.get('id')))
    if (index >= 0) posts.splice(index, 1)
  },
  'forms-delete',
  'deletePost',
)
const renamePost = registerServerReference(
  async (postId: number, form: FormData) => {
    const post = posts.find((p) => p.id === postId)
    if (post) post.title = String(form.get('title'))
  },
  'forms-rename',
  'renamePost',
  1,
)
const saveDraft = registerServerReference(
  async (previous: { saves: number; message: string }, form: FormData) => {
    const text = String(form.get('text') ?? '')
    if (!text) return { saves: previous.saves, message: 'Text is required' }
    return { saves: previous.saves + 1, message: `Saved “${text}”` }
  },
  'forms-save-draft',
  'saveDraft',
)

function Draft() {
  const [state, action, pending] = useActionState(saveDraft, { saves: 0, message: '' })
  return (
    <form action={action}>
      <input name="text" />
      <button disabled={pending}>Save</button>
      <p id="draft-state">
        {state.message} ({state.saves} saves)
      </p>
    </form>
  )
}

function Page({ postId }: { postId: number }) {
  return (
    <main>
      <form action={createPost} id="create">
        <input name="title" />
        <button>Create</button>
      </form>
      <ul>
        {posts.map((post) => (
          <li key={post.id}>
            {post.title}
            <form id={`post-${post.id}`}>
              <input type="hidden" name="id" value={post.id} />
              <button formAction={deletePost}>Delete</button>
            </form>
          </li>
        ))}
      </ul>
      <form action={renamePost.bind(null, postId)} id="rename">
        <input name="title" />
      </form>
      <Draft />
    </main>
  )
}

let server: Server
let origin: string
beforeAll(async () => {
  const handle = createRequestHandler({
    dev: true,
    render: async (_request, { formState, status }) => {
      const stream = await renderToReadableStream(<Page postId={1} />, {
        formState,
        bootstrapScriptContent: await clientDataScript({ formState }),
      })
      await stream.allReady
      return new Response(stream, { status, headers: { 'content-type': 'text/html; charset=utf-8' } })
    },
  })
  server = createServer(toNodeListener(handle))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((r) => server.close(r)))

/** The fields a browser would send for the form with `id`, as the page renders it now. */
async function formFields(id: string, submitter?: string): Promise<FormData> {
  const html = await (await fetch(`${origin}/posts`)).text()
  const form = new RegExp(`<form[^>]*id="${id}"[^>]*>([\\s\\S]*?)</form>`).exec(html)
  if (!form) throw new Error(`no form ${id} in ${html}`)
  const data = hiddenFields(form[1]!)
  if (submitter) {
    const button = new RegExp(`<button[^>]*name="([^"]*)"[^>]*>${submitter}</button>`).exec(form[1]!)
    data.append(unescapeHtml(button![1]!), '')
  }
  return data
}
const post = (data: FormData, headers: Record<string, string> = {}) =>
  fetch(`${origin}/posts`, { method: 'POST', body: data, redirect: 'manual', headers: { origin, ...headers } })

describe('forms without JavaScript', () => {
  test('react-dom/server renders server functions as real forms', async () => {
    const html = await (await fetch(`${origin}/posts`)).text()
    const create = /<form id="create"([^>]*)>(<input[^>]*>)/.exec(html)!
    expect(create[1]).toBe(' action="" encType="multipart/form-data" method="POST"')
    expect(create[2]).toBe('<input type="hidden" name="$ACTION_ID_forms-create"/>')
    // a bound reference carries its values sealed, never in the clear
    expect(html).toMatch(/name="\$ACTION_[^"]*:token" value="[A-Za-z0-9_-]{40,}"/)
  })

  test('<form action> runs the function, then redirects with its cookies (303)', async () => {
    const data = await formFields('create')
    data.set('title', 'Hello without JS')
    const response = await post(data)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/posts/1')
    expect(response.headers.getSetCookie()).toEqual(['last-title=Hello%20without%20JS; Path=/'])
    expect(posts).toEqual([{ id: 1, title: 'Hello without JS' }])
  })

  test('<button formAction> runs its own function with the form’s fields', async () => {
    posts.push({ id: 2, title: 'Second' })
    const response = await post(await formFields('post-2', 'Delete'))
    expect(response.status).toBe(200)
    expect(posts.map((p) => p.id)).toEqual([1])
    expect(await response.text()).not.toContain('Second')
  })

  test('a bound function gets its bound value from the sealed token', async () => {
    const data = await formFields('rename')
    data.set('title', 'Renamed through a bound action')
    expect((await post(data)).status).toBe(200)
    expect(posts[0]!.title).toBe('Renamed through a bound action')
  })

  test('useActionState shows the state the function returned, and hands it to hydrateRoot', async () => {
    const html = await (await fetch(`${origin}/posts`)).text()
    const draft = /<form action=""[^>]*>((?:(?!<\/form>)[\s\S])*?name="text"[\s\S]*?)<\/form>/.exec(html)![1]!
    const fields = hiddenFields(draft)
    expect([...fields.keys()]).toContain('$ACTION_KEY')
    fields.set('text', 'first draft')
    const response = await post(fields)
    const page = await response.text()
    expect(page).toContain('<p id="draft-state">Saved “first draft”<!-- --> (<!-- -->1<!-- --> saves)</p>')
    expect(page).toContain('<!--F!-->') // React's marker: this hook matched the posted form
    const script = /self\.__USE_SERVER_DATA__=("(?:[^"\\]|\\.)*");/.exec(page)![1]!
    const { formState } = readDevalue(JSON.parse(script), {}) as { formState: [state: unknown, key: string, id: string, bound: number] }
    expect(formState[0]).toEqual({ saves: 1, message: 'Saved “first draft”' })
    expect(formState[2]).toBe('forms-save-draft')
    expect(formState[3]).toBe(0)
  })

  test('a tampered token, a cross-site post and an unknown function are refused', async () => {
    const rename = await formFields('rename')
    for (const [name, value] of rename) if (name.endsWith(':token')) rename.set(name, String(value).slice(0, -4))
    expect((await post(rename)).status).toBe(400)
    const create = await formFields('create')
    expect((await post(create, { origin: 'https://evil.test' })).status).toBe(403)
    const stale = new FormData()
    stale.set('$ACTION_ID_not-a-function', '')
    const response = await post(stale)
    expect(response.status).toBe(404)
    expect(await response.text()).toMatch(/older version of the page/)
  })

  test('other posts to the page are left to the app, body unread', async () => {
    const data = new FormData()
    data.set('search', 'x')
    const response = await post(data)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<main>')
  })
})
