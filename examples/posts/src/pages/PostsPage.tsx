import { ArchiveButton } from '../components/ArchiveButton'
import { CreatePostForm } from '../components/CreatePostForm'
import { ErrorBoundary } from '../components/ErrorBoundary'
import { PostList } from '../components/PostList'

export function PostsPage() {
  return (
    <section>
      <h1>Posts</h1>
      <CreatePostForm />
      <PostList />
      <ErrorBoundary>
        <ArchiveButton />
      </ErrorBoundary>
    </section>
  )
}
