// Every figure in turn (each also runs alone: see package.json). Results: bench/results/latest.json.
const figures = ['./transform/index.js', './client-size/index.js', './build/index.js', './dev/index.js', './runtime/index.js', './forms/index.js', './instances/index.js']
const started = performance.now()
for (const figure of figures) await import(figure)
console.log(`\nAll figures in ${Math.round((performance.now() - started) / 1000)} s.`)
