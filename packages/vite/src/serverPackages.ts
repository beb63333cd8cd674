import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

interface PackageJson {
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

const readPackage = (file: string): PackageJson | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson
  } catch {
    return undefined
  }
}

/**
 * The app's dependencies that ship server functions, recognized by their own dependency on
 * `@use-server/runtime` or `@use-server/vite`. Server environments must compile them (not load them
 * untouched from node_modules), or their functions are never registered there.
 */
export function packagesWithServerFunctions(root: string): string[] {
  const app = readPackage(join(root, 'package.json'))
  if (!app) return []
  return Object.keys({ ...app.dependencies, ...app.devDependencies }).filter((name) => {
    if (name.startsWith('@use-server/')) return false
    const manifest = installedPackage(root, name)
    const deps = { ...manifest?.dependencies, ...manifest?.peerDependencies }
    return '@use-server/runtime' in deps || '@use-server/vite' in deps
  })
}

/** A dependency's package.json, looked up like Node does (its `exports` may not expose the file). */
function installedPackage(root: string, name: string): PackageJson | undefined {
  for (let dir = root; ; dir = dirname(dir)) {
    const manifest = readPackage(join(dir, 'node_modules', name, 'package.json'))
    if (manifest || dirname(dir) === dir) return manifest
  }
}
