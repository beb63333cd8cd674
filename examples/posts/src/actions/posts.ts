'use server'

import { redirect, revalidatePath, revalidateTag, ServerFunctionError } from '@use-server/runtime/server'
import { posts, type Post } from '../server/database'
import { formFields, postId } from '../server/input'

export interface CreatePostState {
  error: string | null
  title?: string
}

/** Creates a post from a form (with useActionState: a validation error comes back as state). */
export async function createPost(_previous: CreatePostState, formData: FormData): Promise<CreatePostState> {
  const fields = formFields(formData)
  const title = String(fields.get('title') ?? '').trim()
  const body = String(fields.get('body') ?? '').trim()
  if (!title) return { error: 'A post needs a title.', title }
  if (title.length > 120) return { error: 'Keep the title under 120 characters.', title }
  const id = posts.create(title, body)
  revalidatePath('/posts')
  revalidateTag('posts')
  redirect(`/posts/${id}`)
}

/** Deletes the post named by the form's `id` field (a `<button formAction>` in the list). */
export async function deletePost(formData: FormData): Promise<void> {
  const id = Number(formFields(formData).get('id'))
  if (!Number.isInteger(id)) throw new ServerFunctionError('Which post? The form did not say.', { code: 'VALIDATION' })
  posts.remove(id)
  revalidatePath('/posts')
  revalidateTag('posts')
}

export async function likePost(id: number): Promise<number> {
  return posts.like(postId(id))
}

export async function incrementViews(id: number): Promise<number> {
  return posts.view(postId(id))
}

/** The list again, for pages that refresh after a revalidation. */
export async function listPosts(): Promise<Post[]> {
  return posts.list()
}

/** Fails on purpose, to show how a thrown error reaches an error boundary. */
export async function archiveAllPosts(): Promise<never> {
  throw new Error('The archive service is not available right now.')
}
