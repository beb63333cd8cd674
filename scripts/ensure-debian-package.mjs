// Finds a program the tests need, or installs its Debian package with apt-get where the machine
// allows (root, or sudo without a password). It never lets a tool download a binary of its own.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * The first of `candidates` that exists, after installing `debianPackage` if none did; exits with
 * `help` when there is still none.
 */
export function ensureDebianPackage({ what, debianPackage, candidates, help }) {
  const find = () => candidates.filter(Boolean).find((path) => existsSync(path))
  let found = find()
  if (!found && process.platform === 'linux' && existsSync('/usr/bin/apt-get')) {
    const prefix = process.getuid?.() === 0 ? [] : ['sudo', '-n']
    console.log(`${what} is missing: installing Debian’s ${debianPackage} package with apt-get…`)
    for (const args of [['apt-get', 'update'], ['apt-get', 'install', '-y', debianPackage]]) {
      const [command, ...rest] = [...prefix, ...args]
      const result = spawnSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
      if (result.status !== 0) break
    }
    found = find()
  }
  if (!found) {
    console.error(help)
    process.exit(1)
  }
  return found
}
