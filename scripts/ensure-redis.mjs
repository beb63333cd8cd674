// The multi-instance tests run Debian's redis-server. This finds it, or installs it with apt-get
// where the machine allows (root, or sudo without a password), as ensure-chromium.mjs does for
// Chromium. The tests start their own servers on free ports: nothing needs to be running.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const candidates = [process.env.REDIS_SERVER_PATH, '/usr/bin/redis-server', '/usr/local/bin/redis-server'].filter(Boolean)
const find = () => candidates.find((path) => existsSync(path))

let found = find()
if (!found && process.platform === 'linux' && existsSync('/usr/bin/apt-get')) {
  const root = process.getuid?.() === 0
  const prefix = root ? [] : ['sudo', '-n']
  console.log('redis-server is missing: installing Debian’s redis-server package with apt-get…')
  for (const args of [['apt-get', 'update'], ['apt-get', 'install', '-y', '--no-install-recommends', 'redis-server']]) {
    const [command, ...rest] = [...prefix, ...args]
    const result = spawnSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
    if (result.status !== 0) break
  }
  found = find()
}
if (!found) {
  console.error(
    'The multi-instance tests need redis-server, and none was found or could be installed.\n' +
      'On Debian or Ubuntu: sudo apt-get install -y redis-server\n' +
      'Elsewhere: install Redis 7 and set REDIS_SERVER_PATH to its redis-server executable.',
  )
  process.exit(1)
}
console.log(`redis-server for the multi-instance tests: ${found}`)
