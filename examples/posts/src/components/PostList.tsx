import { useQuery } from '@use-server/runtime/react'
import { deletePost, listPosts } from '../actions/posts'

/**
 * The list is a query: the server loaded it with the page (`loadQuery`), so it shows without a
 * request, and a delete (which revalidates the `posts` tag) brings the new list back in the
 * delete's own answer. Each delete button calls `deletePost` through `formAction`, so it works
 * without JavaScript too.
 */
export function PostList() {
  const { value: posts = [] } = useQuery(listPosts)
  if (posts.length === 0) return <p className="card" data-testid="no-posts">No posts yet.</p>
  return (
    <ul className="posts card" data-testid="post-list">
      {posts.map((post) => (
        <li key={post.id} data-testid="post">
          <a href={`/posts/${post.id}`}>{post.title}</a>
          <span className="meta">
            {post.likes} likes · {post.views} views
          </span>
          <form>
            <input type="hidden" name="id" value={post.id} />
            <button className="danger" formAction={deletePost} aria-label={`Delete ${post.title}`}>
              Delete
            </button>
          </form>
        </li>
      ))}
    </ul>
  )
}
