import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Tests run against the TypeScript sources of the workspace packages (the `source` export
  // condition); builds driven by the tests (Vite apps) resolve the packages' `dist` as users do.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
  },
})
