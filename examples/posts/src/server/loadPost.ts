import { revalidatePath } from '@use-server/runtime/server'
import { posts } from './database'
import { formFields } from './input'

export interface RenameState {
  message: string
}

/**
 * Loads a post for its page, with an action bound to it. The action is an inline server function:
 * it captures `post.id` from this closure, and the value travels sealed, so a browser cannot point
 * it at another post.
 */
export async function loadPost(id: number) {
  const post = posts.get(id)
  if (!post) return null

  async function updateItemAction(_previous: RenameState, formData: FormData): Promise<RenameState> {
    'use server'
    const title = String(formFields(formData).get('title') ?? '').trim()
    if (!title) return { message: 'The title cannot be empty.' }
    posts.rename(post!.id, title)
    revalidatePath(`/posts/${post!.id}`)
    revalidatePath('/posts')
    return { message: `Renamed to “${title}”.` }
  }

  return { post, updateItemAction }
}
