import { readPreferences } from '../actions/preferences'
import type { AppProps } from '../App'
import type { Route } from '../routes'
import { posts } from './database'
import { loadPost } from './loadPost'

/** The props a page renders with, loaded on the server for each request. */
export async function loadRoute(route: Route): Promise<AppProps> {
  const preferences = await readPreferences()
  switch (route.page) {
    case 'posts':
      return { route, preferences, posts: posts.list() }
    case 'post':
      return { route, preferences, postPage: await loadPost(route.id) }
    default:
      return { route, preferences }
  }
}
