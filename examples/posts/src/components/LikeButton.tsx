import { useState } from 'react'
import { likePost } from '../actions/posts'

export function LikeButton({ postId, initialLikes }: { postId: number; initialLikes: number }) {
  const [likes, setLikes] = useState(initialLikes)
  return (
    <>
      <p data-testid="likes">Total Likes: {likes}</p>
      <button
        onClick={async () => {
          const updatedLikes = await likePost(postId)
          setLikes(updatedLikes)
        }}
      >
        Like
      </button>
    </>
  )
}
