'use server'

import { cookies, revalidatePath } from '@use-server/runtime/server'
import { formFields } from '../server/input'

export type Theme = 'light' | 'dark'

export interface Preferences {
  displayName: string
  theme: Theme
}

export interface SavePreferencesState {
  message: string
  preferences?: Preferences
}

const YEAR = 60 * 60 * 24 * 365

/** Saves the display name and theme in cookies; the layout reads them on every render. */
export async function savePreferences(_previous: SavePreferencesState, formData: FormData): Promise<SavePreferencesState> {
  const fields = formFields(formData)
  const displayName = String(fields.get('displayName') ?? '').trim().slice(0, 40)
  const theme = fields.get('theme') === 'dark' ? 'dark' : 'light'
  const store = cookies()
  if (displayName) store.set('display-name', displayName, { maxAge: YEAR, sameSite: 'lax', httpOnly: true })
  else store.delete('display-name')
  store.set('theme', theme, { maxAge: YEAR, sameSite: 'lax', httpOnly: true })
  revalidatePath('/')
  return { message: 'Preferences saved.', preferences: { displayName, theme } }
}

export async function readPreferences(): Promise<Preferences> {
  const store = cookies()
  return { displayName: store.get('display-name')?.value ?? '', theme: store.get('theme')?.value === 'dark' ? 'dark' : 'light' }
}
