import { useEffect } from 'react'
import type { Preferences } from './actions/preferences'
import { Layout } from './components/Layout'
import { PostPage } from './pages/PostPage'
import { PostsPage } from './pages/PostsPage'
import { SettingsPage } from './pages/SettingsPage'
import type { Route } from './routes'
import type { Post } from './server/database'
import type { loadPost } from './server/loadPost'

/** Everything a page renders from; loaded on the server, handed to the browser for hydration. */
export interface AppProps {
  route: Route
  preferences: Preferences
  posts?: Post[]
  postPage?: Awaited<ReturnType<typeof loadPost>>
  /** Set when a form posted without JavaScript made its function throw. */
  formError?: string
}

export function App({ route, preferences, posts, postPage, formError }: AppProps) {
  // Marks the document once React has hydrated it (tests wait for this; so can a person's devtools).
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true'
  }, [])
  return (
    <Layout preferences={preferences} formError={formError}>
      {route.page === 'posts' && <PostsPage initialPosts={posts ?? []} />}
      {route.page === 'post' && (postPage ? <PostPage post={postPage.post} updateItemAction={postPage.updateItemAction} /> : <NotFound />)}
      {route.page === 'settings' && <SettingsPage preferences={preferences} />}
      {route.page === 'not-found' && <NotFound />}
    </Layout>
  )
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        <a href="/posts">Back to the posts</a>
      </p>
    </section>
  )
}
