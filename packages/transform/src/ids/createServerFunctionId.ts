import { hash } from 'node:crypto'
import { posix } from 'node:path'

/**
 * A server function's public id: 96 bits of SHA-256 over (salt, module path, export name), base64url.
 * Deterministic, so every build and every machine agree (rolling deploys keep working), and opaque:
 * it never reveals a path or a function name. `modulePath` comes from `toModulePath`.
 */
export function createServerFunctionId(modulePath: string, exportName: string, salt = ''): string {
  const key = `${salt}\0${modulePath}\0${exportName}`
  let id = ids.get(key)
  if (id === undefined) {
    id = hash('sha256', key, 'base64url').slice(0, 16) // one call, no Hash object (Node ≥ 20.12)
    if (ids.size >= 50_000) ids.clear()
    ids.set(key, id)
  }
  return id
}

// Every transform of a module (each environment, each edit) asks again for the same ids; a hash
// object costs microseconds, a lookup nanoseconds.
const ids = new Map<string, string>()

/**
 * The module part of every id: the path relative to `root` (`../` for files outside it, which keeps
 * linked workspace packages stable too), `/` separators, no `?query`. Without a root, the id as given.
 */
export function toModulePath(id: string, root?: string): string {
  const path = id.replace(/[?#].*$/, '').replace(/\\/g, '/')
  if (!root || !posix.isAbsolute(path)) return path
  return posix.relative(root.replace(/\\/g, '/'), path)
}
