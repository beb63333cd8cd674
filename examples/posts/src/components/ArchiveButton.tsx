import { useTransition } from 'react'
import { archiveAllPosts } from '../actions/posts'

/** Calls a server function that fails: inside a transition, its error goes to the nearest error boundary. */
export function ArchiveButton() {
  const [pending, startTransition] = useTransition()
  return (
    <button className="secondary" onClick={() => startTransition(async () => void (await archiveAllPosts()))} disabled={pending}>
      {pending ? 'Archiving…' : 'Archive all posts'}
    </button>
  )
}
