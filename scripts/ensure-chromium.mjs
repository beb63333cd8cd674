// The browser tests drive Debian's Chromium through playwright-core. This finds it, or installs
// it with apt-get where the machine allows (root, or sudo without a password). It never lets a
// tool download a browser of its own.
import { ensureDebianPackage } from './ensure-debian-package.mjs'

const found = ensureDebianPackage({
  what: 'Chromium',
  debianPackage: 'chromium',
  candidates: [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'],
  help:
    'The browser tests need Chromium, and none was found or could be installed.\n' +
    'On Debian or Ubuntu: sudo apt-get install -y chromium\n' +
    'Elsewhere: install Chromium or Chrome and set CHROMIUM_PATH to its executable.',
})
console.log(`Chromium for the browser tests: ${found}`)
