import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url))

export default defineConfig({
  // Tests import the workspace packages by name and get their TypeScript sources. Integration tests
  // drive real Vite and Node processes, which load the built packages (`dist`) like any app would.
  resolve: {
    alias: [
      { find: /^@use-server\/transform$/, replacement: src('transform/src/index.ts') },
      { find: /^@use-server\/runtime\/(client|server|node|ssr|react|redis)$/, replacement: src('runtime/src/$1/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
