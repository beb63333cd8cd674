import { useEffect, useState, useTransition } from 'react'
import { incrementViews } from '../actions/posts'

export function ViewCount({ postId, initialViews }: { postId: number; initialViews: number }) {
  const [views, setViews] = useState(initialViews)
  const [isPending, startTransition] = useTransition()

  useEffect(() => {
    startTransition(async () => {
      const updatedViews = await incrementViews(postId)
      setViews(updatedViews)
    })
  }, [postId])

  return (
    <p data-testid="views" data-pending={isPending}>
      Total Views: {views}
    </p>
  )
}
