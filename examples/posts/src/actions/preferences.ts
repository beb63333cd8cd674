'use server'

import { cacheTag, cookies, revalidateTag, validatedState } from '@use-server/runtime/server'
import { z } from 'zod'

export type Theme = 'light' | 'dark'

export interface Preferences {
  displayName: string
  theme: Theme
}

const PreferencesInput = z.object({
  displayName: z.string().trim().max(40, 'Keep the name under 40 characters.').default(''),
  theme: z.enum(['light', 'dark'], { error: 'Pick the light or the dark theme.' }),
})

const YEAR = 60 * 60 * 24 * 365

/**
 * Saves the display name and theme in cookies. Every page's data reads them (`cacheTag('preferences')`),
 * so the page the call came from gets its data back fresh in the same answer.
 */
export const savePreferences = validatedState(PreferencesInput, async ({ displayName, theme }): Promise<Preferences> => {
  const store = cookies()
  if (displayName) store.set('display-name', displayName, { maxAge: YEAR, sameSite: 'lax', httpOnly: true })
  else store.delete('display-name')
  store.set('theme', theme, { maxAge: YEAR, sameSite: 'lax', httpOnly: true })
  revalidateTag('preferences')
  return { displayName, theme }
})

export async function readPreferences(): Promise<Preferences> {
  cacheTag('preferences')
  const store = cookies()
  return { displayName: store.get('display-name')?.value ?? '', theme: store.get('theme')?.value === 'dark' ? 'dark' : 'light' }
}
