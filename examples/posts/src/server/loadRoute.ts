import { loadQuery } from '@use-server/runtime/server'
import { listPosts } from '../actions/posts'
import { readPreferences, type Preferences } from '../actions/preferences'
import type { Route } from '../routes'
import { loadPost } from './loadPost'

/** What a page renders from: loaded on the server for each request, and again when a call revalidates it. */
export interface PageData {
  route: Route
  preferences: Preferences
  postPage?: Awaited<ReturnType<typeof loadPost>>
}

/**
 * The page's data (`createRequestHandler`'s `pageData`). The list of posts is a query of its own
 * (`loadQuery`): the browser starts from it, and a delete refreshes only what it touched.
 */
export async function loadRoute(route: Route): Promise<PageData> {
  const preferences = await readPreferences()
  switch (route.page) {
    case 'posts':
      await loadQuery(listPosts)
      return { route, preferences }
    case 'post':
      return { route, preferences, postPage: await loadPost(route.id) }
    default:
      return { route, preferences }
  }
}
