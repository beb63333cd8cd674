// The README's examples, as written there: `serverFunction`, then a `useActionState` action.
import { redirect, serverFunction } from '@use-server/runtime/server'
import { useActionState } from 'react'

export const openReport = serverFunction(async (id: number, options: { onDone?: () => void }) => ({ id, render: () => '…' }))

export async function browser() {
  // @ts-expect-error '() => void' is not assignable to 'NotSendable<"a function: …">'
  await openReport(1, { onDone: () => {} })
  // @ts-expect-error 'NotSendable<"a function: …">' has no call signatures
  ;(await openReport(1, {})).render()
  ;(await openReport(1, {})).id satisfies number
}

// "Forms, state and data": a function that returns `{ error }` or redirects, with the state type the
// README gives it, is a `useActionState` action whose initial state is `{ error: null }`.
declare const db: { posts: { insert(post: { title: string }): Promise<number> } }

export async function createPost(_previous: { error: string | null }, formData: FormData): Promise<{ error: string | null }> {
  const title = String(formData.get('title') ?? '').trim()
  if (!title) return { error: 'A post needs a title.' }
  redirect(`/posts/${await db.posts.insert({ title })}`)
}

export function CreatePost() {
  const [state, action, pending] = useActionState(createPost, { error: null })
  state.error satisfies string | null
  return { action, pending }
}

// Without the return type, TypeScript sees `{ error: string }` (redirect returns never): the README says why it is there.
async function createPostUntyped(previous: { error: string | null }, formData: FormData) {
  if (!formData.get('title')) return { error: 'A post needs a title.' }
  redirect(`/posts/${previous.error}`)
}
export function CreatePostUntyped() {
  // @ts-expect-error Type 'null' is not assignable to type 'string'
  return useActionState(createPostUntyped, { error: null })
}
