// The multi-instance tests run Debian's redis-server. This finds it, or installs it with apt-get
// where the machine allows, as for Chromium. The tests start their own servers on free ports:
// nothing needs to be running.
import { ensureDebianPackage } from './ensure-debian-package.mjs'

const found = ensureDebianPackage({
  what: 'redis-server',
  debianPackage: 'redis-server',
  candidates: [process.env.REDIS_SERVER_PATH, '/usr/bin/redis-server', '/usr/local/bin/redis-server'],
  help:
    'The multi-instance tests need redis-server, and none was found or could be installed.\n' +
    'On Debian or Ubuntu: sudo apt-get install -y redis-server\n' +
    'Elsewhere: install Redis 7 and set REDIS_SERVER_PATH to its redis-server executable.',
})
console.log(`redis-server for the multi-instance tests: ${found}`)
