import { isValidationError, revalidatePath, validate, type FormState } from '@use-server/runtime/server'
import { z } from 'zod'
import { posts } from './database'

const Rename = z.object({ title: z.string({ error: 'The title cannot be empty.' }).trim().min(1, 'The title cannot be empty.').max(120, 'Keep the title under 120 characters.') })

export type RenameState = FormState<z.input<typeof Rename>, string>

/**
 * Loads a post for its page, with an action bound to it. The action is an inline server function:
 * it captures `post.id` from this closure, and the value travels sealed, so a browser cannot point
 * it at another post. Its input is validated like the exported actions' (`validate`).
 */
export async function loadPost(id: number) {
  const post = posts.get(id)
  if (!post) return null

  async function updateItemAction(_previous: RenameState, formData: FormData): Promise<RenameState> {
    'use server'
    try {
      const { title } = await validate(Rename, formData)
      posts.rename(post!.id, title)
      revalidatePath(`/posts/${post!.id}`)
      revalidatePath('/posts')
      return { ok: true, data: `Renamed to “${title}”.` }
    } catch (error) {
      if (!isValidationError(error)) throw error
      return { ok: false, fieldErrors: error.fieldErrors, formErrors: error.formErrors, values: error.values }
    }
  }

  return { post, updateItemAction }
}
