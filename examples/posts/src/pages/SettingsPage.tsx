import { useActionState } from 'react'
import { savePreferences, type Preferences, type SavePreferencesState } from '../actions/preferences'

/** Preferences live in cookies, written by a server function and read by every render. */
export function SettingsPage({ preferences }: { preferences: Preferences }) {
  const [state, formAction, pending] = useActionState(savePreferences, { message: '' } as SavePreferencesState)
  const current = state.preferences ?? preferences
  return (
    <section>
      <h1>Settings</h1>
      <form action={formAction} aria-label="Preferences">
        <label>
          Display name <input name="displayName" defaultValue={current.displayName} />
        </label>
        <label>
          Theme
          <select name="theme" defaultValue={current.theme}>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <button type="submit" disabled={pending}>
          Save
        </button>
        {state.message && <p data-testid="settings-message">{state.message}</p>}
      </form>
    </section>
  )
}
