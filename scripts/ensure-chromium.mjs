// The browser tests drive Debian's Chromium through playwright-core. This finds it, or installs
// it with apt-get where the machine allows (root, or sudo without a password). It never lets a
// tool download a browser of its own.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)
const find = () => candidates.find((path) => existsSync(path))

let found = find()
if (!found && process.platform === 'linux' && existsSync('/usr/bin/apt-get')) {
  const root = process.getuid?.() === 0
  const prefix = root ? [] : ['sudo', '-n']
  console.log('Chromium is missing: installing Debian’s chromium package with apt-get…')
  for (const args of [['apt-get', 'update'], ['apt-get', 'install', '-y', 'chromium']]) {
    const [command, ...rest] = [...prefix, ...args]
    const result = spawnSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
    if (result.status !== 0) break
  }
  found = find()
}
if (!found) {
  console.error(
    'The browser tests need Chromium, and none was found or could be installed.\n' +
      'On Debian or Ubuntu: sudo apt-get install -y chromium\n' +
      'Elsewhere: install Chromium or Chrome and set CHROMIUM_PATH to its executable.',
  )
  process.exit(1)
}
console.log(`Chromium for the browser tests: ${found}`)
