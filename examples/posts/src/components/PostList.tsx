import { useRevalidatedValue } from '@use-server/runtime/react'
import { deletePost, listPosts } from '../actions/posts'
import type { Post } from '../server/database'

/**
 * The list refreshes itself when a server function revalidates `/posts` or the `posts` tag (a
 * delete, say), without reloading the page. Each delete button calls `deletePost` through
 * `formAction`, so it works without JavaScript too.
 */
export function PostList({ initialPosts }: { initialPosts: Post[] }) {
  const posts = useRevalidatedValue(listPosts, initialPosts, { paths: ['/posts'], tags: ['posts'] })
  if (posts.length === 0) return <p data-testid="no-posts">No posts yet.</p>
  return (
    <ul className="posts" data-testid="post-list">
      {posts.map((post) => (
        <li key={post.id} data-testid="post">
          <a href={`/posts/${post.id}`}>{post.title}</a>
          <span className="meta">
            {post.likes} likes · {post.views} views
          </span>
          <form>
            <input type="hidden" name="id" value={post.id} />
            <button formAction={deletePost} aria-label={`Delete ${post.title}`}>
              Delete
            </button>
          </form>
        </li>
      ))}
    </ul>
  )
}
