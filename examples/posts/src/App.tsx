import { usePageData } from '@use-server/runtime/react'
import { useEffect } from 'react'
import { Layout } from './components/Layout'
import { PostPage } from './pages/PostPage'
import { PostsPage } from './pages/PostsPage'
import { SettingsPage } from './pages/SettingsPage'
import type { PageData } from './server/loadRoute'

/**
 * The page from its data (`pageData` on the server, `usePageData()` here and in the browser): when a
 * call revalidates the page, its data comes back fresh in the call's answer and the page follows.
 */
export function App({ formError }: { formError?: string }) {
  const { route, preferences, postPage } = usePageData<PageData>()
  // Marks the document once React has hydrated it (tests wait for this; so can a person's devtools).
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true'
  }, [])
  return (
    <Layout route={route} preferences={preferences} formError={formError}>
      {route.page === 'posts' && <PostsPage />}
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
