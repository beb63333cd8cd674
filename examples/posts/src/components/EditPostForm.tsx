import { useActionState } from 'react'
import type { RenameState } from '../server/loadPost'

/**
 * A client component that receives an action as a prop. The action was created on the server,
 * bound to this post; the component neither knows nor can change which post it edits.
 */
export function EditPostForm({ title, updateItemAction }: { title: string; updateItemAction: (state: RenameState, formData: FormData) => Promise<RenameState> }) {
  const [state, formAction, pending] = useActionState(updateItemAction, { message: '' })
  return (
    <form action={formAction} className="edit" aria-label="Rename">
      <label>
        New title <input name="title" defaultValue={title} />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? 'Renaming…' : 'Rename'}
      </button>
      {state.message && <p data-testid="rename-message">{state.message}</p>}
    </form>
  )
}
