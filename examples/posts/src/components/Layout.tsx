import type { ReactNode } from 'react'
import type { Preferences } from '../actions/preferences'

/** The preferences come with the page's data: saving them refreshes it, so greeting and theme follow. */
export function Layout({ preferences, formError, children }: { preferences: Preferences; formError?: string; children: ReactNode }) {
  return (
    <div className="app" data-theme={preferences.theme}>
      <header>
        <nav>
          <a href="/posts">Posts</a>
          <a href="/settings">Settings</a>
        </nav>
        <p className="greeting" data-testid="greeting">
          {preferences.displayName ? `Hello, ${preferences.displayName}` : 'Hello, stranger'}
        </p>
      </header>
      {formError && (
        <p role="alert" className="error">
          {formError}
        </p>
      )}
      <main>{children}</main>
    </div>
  )
}
