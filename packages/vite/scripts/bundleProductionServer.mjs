// Bundles the embedded production server once, when this package is built, into dist/production-server/:
// the server (`startProductionServer`) and the runtime entries server code imports, with every
// dependency inside (busboy, send, mime-db, devalue) except Node's built-ins and the optional `redis`
// client. An app's `vite build` copies these files into dist/server instead of bundling the same
// few hundred modules again in every build (see src/build/productionServerFiles.ts).
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const outDir = fileURLToPath(new URL('../dist/production-server/', import.meta.url))

// Keep in step with RUNTIME_ENTRIES in src/build/productionServerFiles.ts (its test checks each file is here).
const input = {
  production: fileURLToPath(import.meta.resolve('@use-server/vite/production')),
  server: fileURLToPath(import.meta.resolve('@use-server/runtime/server')),
  node: fileURLToPath(import.meta.resolve('@use-server/runtime/node')),
  redis: fileURLToPath(import.meta.resolve('@use-server/runtime/redis')),
}

await build({
  configFile: false,
  root: packageDir,
  logLevel: 'warn',
  // Node's conditions, not a browser's; every package bundled (the app may have none of them installed).
  ssr: { target: 'node', noExternal: true },
  build: {
    ssr: true,
    outDir,
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    reportCompressedSize: false,
    rollupOptions: {
      input,
      // The app's own copy, if it uses the Redis store: a peer dependency, never bundled.
      external: ['redis'],
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'shared/[name].js' },
    },
  },
})

const files = readdirSync(outDir)
const missing = Object.keys(input).filter((name) => !files.includes(`${name}.js`))
if (missing.length > 0) throw new Error(`bundleProductionServer: ${missing.join(', ')} missing from ${outDir}`)
