import { useActionState } from 'react'
import { savePreferences, type Preferences } from '../actions/preferences'
import { Field } from '../components/Field'

/**
 * Preferences live in cookies, written by a server function; the page's data reads them, so the
 * greeting, the theme and this form follow the saved values (the select shows what was saved).
 */
export function SettingsPage({ preferences }: { preferences: Preferences }) {
  const [state, formAction, pending] = useActionState(savePreferences, {})
  const errors = pending ? undefined : state.fieldErrors
  return (
    <section>
      <h1>Settings</h1>
      <form action={formAction} className="fields card" aria-label="Preferences">
        <Field label="Display name" name="displayName" errors={errors?.displayName}>
          <input id="displayName" name="displayName" defaultValue={state.values?.displayName ?? preferences.displayName} aria-invalid={!!errors?.displayName} />
        </Field>
        <Field label="Theme" name="theme" errors={errors?.theme}>
          {/* keyed by the saved theme: a new default value after saving, which React applies */}
          <select key={preferences.theme} id="theme" name="theme" defaultValue={preferences.theme}>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </Field>
        <div className="actions">
          <button type="submit" disabled={pending}>
            Save
          </button>
          {!pending && state.ok && (
            <p className="notice ok" data-testid="settings-message">
              Preferences saved.
            </p>
          )}
        </div>
      </form>
    </section>
  )
}
