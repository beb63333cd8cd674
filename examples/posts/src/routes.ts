export type Route = { page: 'posts' } | { page: 'post'; id: number } | { page: 'settings' } | { page: 'not-found' }

export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '/posts') return { page: 'posts' }
  const post = /^\/posts\/(\d+)$/.exec(pathname)
  if (post) return { page: 'post', id: Number(post[1]) }
  if (pathname === '/settings') return { page: 'settings' }
  return { page: 'not-found' }
}
