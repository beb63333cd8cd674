import type { ReactNode } from 'react'
import type { Preferences } from '../actions/preferences'
import type { Route } from '../routes'

/** The preferences come with the page's data: saving them refreshes it, so greeting and theme follow. */
export function Layout({ route, preferences, formError, children }: { route: Route; preferences: Preferences; formError?: string; children: ReactNode }) {
  const current = (page: Route['page']) => (route.page === page ? 'page' : undefined)
  return (
    <div className="app" data-theme={preferences.theme}>
      <header>
        <nav>
          <a href="/posts" aria-current={current('posts')}>
            Posts
          </a>
          <a href="/settings" aria-current={current('settings')}>
            Settings
          </a>
        </nav>
        <p className="greeting" data-testid="greeting">
          {preferences.displayName ? `Hello, ${preferences.displayName}` : 'Hello, stranger'}
        </p>
      </header>
      <main>
        {formError && (
          <p role="alert" className="notice error">
            {formError}
          </p>
        )}
        {children}
      </main>
    </div>
  )
}
