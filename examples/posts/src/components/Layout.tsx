import { useRevalidatedValue } from '@use-server/runtime/react'
import type { ReactNode } from 'react'
import { readPreferences, type Preferences } from '../actions/preferences'

export function Layout({ preferences: initial, formError, children }: { preferences: Preferences; formError?: string; children: ReactNode }) {
  // Saving preferences revalidates `/`: the greeting and theme follow without a reload.
  const preferences = useRevalidatedValue(readPreferences, initial, { paths: ['/'] })
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
