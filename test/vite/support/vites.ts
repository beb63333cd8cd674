import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoRoot } from './fixtures.js'

// Vite 7 lives in its own workspace package (test/compat-vite7), so that it and the React plugin
// made for it resolve each other, as in a real Vite 7 project.
const vite7 = join(repoRoot, 'test/compat-vite7/node_modules')

/** The Vite majors the plugin supports: 8 (Rolldown) and 7 (Rollup). Tests run against each. */
export const vites = [
  {
    name: 'vite 8',
    load: () => import('vite') as Promise<typeof import('vite')>,
    bin: join(repoRoot, 'node_modules/vite/bin/vite.js'),
    reactPlugin: pathToFileURL(join(repoRoot, 'node_modules/@vitejs/plugin-react/dist/index.js')).href,
  },
  {
    name: 'vite 7',
    load: () => import(pathToFileURL(join(vite7, 'vite/dist/node/index.js')).href) as Promise<typeof import('vite')>,
    bin: join(vite7, 'vite/bin/vite.js'),
    reactPlugin: pathToFileURL(join(vite7, '@vitejs/plugin-react/dist/index.js')).href,
  },
] as const

export type ViteUnderTest = (typeof vites)[number]
