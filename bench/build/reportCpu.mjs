// Preloaded into each timed `vite build` (node --import): prints the process's CPU time (every
// thread, Rolldown's included) as its last line on stderr, for the figure's CPU column.
process.on('exit', () => {
  const { user, system } = process.cpuUsage()
  process.stderr.write(`\nbench-cpu-ms ${(user + system) / 1000}\n`)
})
