'use server'

import { cacheTag, cookies, revalidateTag } from '@use-server/runtime/server'

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

/**
 * Saves the display name and theme in cookies. Every page's data reads them (`cacheTag('preferences')`),
 * so the page the call came from gets its data back fresh in the same answer.
 */
export async function savePreferences(_previous: SavePreferencesState, formData: FormData): Promise<SavePreferencesState> {
  const displayName = String(formData.get('displayName') ?? '').trim().slice(0, 40)
  const theme = formData.get('theme') === 'dark' ? 'dark' : 'light'
  const store = cookies()
  if (displayName) store.set('display-name', displayName, { maxAge: YEAR, sameSite: 'lax', httpOnly: true })
  else store.delete('display-name')
  store.set('theme', theme, { maxAge: YEAR, sameSite: 'lax', httpOnly: true })
  revalidateTag('preferences')
  return { message: 'Preferences saved.', preferences: { displayName, theme } }
}

export async function readPreferences(): Promise<Preferences> {
  cacheTag('preferences')
  const store = cookies()
  return { displayName: store.get('display-name')?.value ?? '', theme: store.get('theme')?.value === 'dark' ? 'dark' : 'light' }
}
