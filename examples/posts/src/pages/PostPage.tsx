import { EditPostForm } from '../components/EditPostForm'
import { LikeButton } from '../components/LikeButton'
import { ViewCount } from '../components/ViewCount'
import type { Post } from '../server/database'
import type { RenameState } from '../server/loadPost'

export function PostPage({ post, updateItemAction }: { post: Post; updateItemAction: (state: RenameState, formData: FormData) => Promise<RenameState> }) {
  return (
    <article>
      <h1 data-testid="post-title">{post.title}</h1>
      {post.body && <p>{post.body}</p>}
      <div className="counters card">
        <LikeButton postId={post.id} initialLikes={post.likes} />
        <ViewCount postId={post.id} initialViews={post.views} />
      </div>
      <EditPostForm title={post.title} updateItemAction={updateItemAction} />
      <p>
        <a href="/posts">All posts</a>
      </p>
    </article>
  )
}
