import { useActionState } from 'react'
import { createPost, type CreatePostState } from '../actions/posts'

/** `createPost` through useActionState: a validation error comes back as state, pending shows a spinner. */
export function CreatePostForm() {
  const [state, formAction, pending] = useActionState(createPost, { error: null } as CreatePostState)
  return (
    <form action={formAction} className="create" aria-label="New post">
      <label>
        Title <input name="title" defaultValue={state.title} />
      </label>
      <label>
        Body <textarea name="body" rows={3} />
      </label>
      {state.error && (
        <p role="alert" className="error" data-testid="create-error">
          {state.error}
        </p>
      )}
      <button type="submit" disabled={pending}>
        {pending ? <span className="spinner" aria-label="Saving" data-testid="create-pending" /> : 'Create post'}
      </button>
    </form>
  )
}
