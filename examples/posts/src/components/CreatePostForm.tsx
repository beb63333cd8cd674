import { useActionState } from 'react'
import { createPost } from '../actions/posts'
import { Field } from './Field'

/**
 * `createPost` through useActionState: field errors and what was typed come back as state (with and
 * without JavaScript); while a submission is pending the old errors step aside.
 */
export function CreatePostForm() {
  const [state, formAction, pending] = useActionState(createPost, {})
  const errors = pending ? undefined : state.fieldErrors
  return (
    <form action={formAction} className="fields card create" aria-label="New post">
      <Field label="Title" name="title" errors={errors?.title}>
        <input id="title" name="title" defaultValue={state.values?.title} aria-invalid={!!errors?.title} aria-describedby={errors?.title ? 'title-error' : undefined} />
      </Field>
      <Field label="Body" name="body" errors={errors?.body}>
        <textarea id="body" name="body" rows={3} defaultValue={state.values?.body} aria-invalid={!!errors?.body} />
      </Field>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? <span className="spinner" aria-label="Saving" data-testid="create-pending" /> : 'Create post'}
        </button>
      </div>
    </form>
  )
}
