import { ArchiveButton } from '../components/ArchiveButton'
import { CreatePostForm } from '../components/CreatePostForm'
import { ErrorBoundary } from '../components/ErrorBoundary'
import { PostList } from '../components/PostList'
import type { Post } from '../server/database'

export function PostsPage({ initialPosts }: { initialPosts: Post[] }) {
  return (
    <section>
      <h1>Posts</h1>
      <CreatePostForm />
      <PostList initialPosts={initialPosts} />
      <ErrorBoundary>
        <ArchiveButton />
      </ErrorBoundary>
    </section>
  )
}
