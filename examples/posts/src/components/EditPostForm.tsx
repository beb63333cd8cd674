import { useActionState } from 'react'
import type { RenameState } from '../server/loadPost'
import { Field } from './Field'

/**
 * A client component that receives an action as a prop. The action was created on the server,
 * bound to this post; the component neither knows nor can change which post it edits.
 */
export function EditPostForm({ title, updateItemAction }: { title: string; updateItemAction: (state: RenameState, formData: FormData) => Promise<RenameState> }) {
  const [state, formAction, pending] = useActionState(updateItemAction, {})
  const errors = pending ? undefined : state.fieldErrors
  return (
    <form action={formAction} className="fields card edit" aria-label="Rename">
      <Field label="New title" name="title" errors={errors?.title}>
        <input id="title" name="title" defaultValue={state.values?.title ?? title} aria-invalid={!!errors?.title} />
      </Field>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? 'Renaming…' : 'Rename'}
        </button>
        {!pending && state.ok && (
          <p className="notice ok" data-testid="rename-message">
            {state.data}
          </p>
        )}
      </div>
    </form>
  )
}
