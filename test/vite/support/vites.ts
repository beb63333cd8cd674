import { join } from 'node:path'
import { repoRoot } from './fixtures.js'

/** The Vite majors the plugin supports: 8 (Rolldown) and 7 (Rollup). Tests run against each. */
export const vites = [
  { name: 'vite 8', load: () => import('vite') as Promise<typeof import('vite')>, bin: join(repoRoot, 'node_modules/vite/bin/vite.js') },
  { name: 'vite 7', load: () => import('vite7') as unknown as Promise<typeof import('vite')>, bin: join(repoRoot, 'node_modules/vite7/bin/vite.js') },
] as const

export type ViteUnderTest = (typeof vites)[number]
