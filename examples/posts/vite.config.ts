import { useServer } from '@use-server/vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// An SSR app: the browser bundle from index.html, the server bundle from src/entry-server.tsx
// (served by server.mjs). `vite build` builds both, client first. `events`: the revalidation stream, which
// the dev server answers (as it answers calls); in production, src/entry-server.tsx's handler does.
export default defineConfig({
  plugins: [react(), useServer({ events: true })],
  builder: {},
  environments: {
    client: { build: { outDir: 'dist/client' } },
    ssr: { build: { outDir: 'dist/server', rollupOptions: { input: { 'entry-server': 'src/entry-server.tsx' } } } },
  },
})
