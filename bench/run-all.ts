// Runs every figure in turn; each is also runnable alone (see package.json scripts).
await import('./transform/index.js')
await import('./build/index.js')
