'use server'

import { cacheTag, redirect, revalidatePath, revalidateTag, ServerFunctionError, validated, validatedState } from '@use-server/runtime/server'
import { z } from 'zod'
import { posts, type Post } from '../server/database'

const NewPost = z.object({
  title: z.string({ error: 'A post needs a title.' }).trim().min(1, 'A post needs a title.').max(120, 'Keep the title under 120 characters.'),
  body: z.string().trim().max(5_000, 'Keep the post under 5 000 characters.').default(''),
})

/**
 * Creates a post from a form, validated by the schema: field errors and the values sent come back as
 * the form's state (useActionState), with and without JavaScript; on success it redirects to the post.
 */
export const createPost = validatedState(NewPost, async ({ title, body }) => {
  const id = posts.create(title, body)
  revalidatePath('/posts')
  revalidateTag('posts')
  redirect(`/posts/${id}`)
})

/** Deletes the post named by the form's `id` field (a `<button formAction>` in the list). */
export const deletePost = validated(z.object({ id: z.coerce.number().int().positive() }), async ({ id }) => {
  if (!posts.get(id)) throw new ServerFunctionError('That post is already gone.', { code: 'NOT_FOUND', status: 404 })
  posts.remove(id)
  revalidatePath('/posts')
  revalidateTag('posts')
})

// A server function is a public endpoint: whatever its TypeScript types say, its arguments are what a
// client sent. The schema answers a wrong one as the caller's mistake (422), never a failure deeper down.
const PostId = z.number().int().positive()

export const likePost = validated(PostId, async (id) => posts.like(id))

export const incrementViews = validated(PostId, async (id) => posts.view(id))

/** The list, read as a query: it depends on the `posts` tag, which every change revalidates. */
export async function listPosts(): Promise<Post[]> {
  cacheTag('posts')
  return posts.list()
}

/** Fails on purpose, to show how a thrown error reaches an error boundary. */
export async function archiveAllPosts(): Promise<never> {
  throw new Error('The archive service is not available right now.')
}
