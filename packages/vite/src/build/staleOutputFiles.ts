import { readdirSync, rmSync, type Dirent } from 'node:fs'
import { join, posix, relative, sep } from 'node:path'
import { isWithin } from './layout.js'

// The embedded server's output is not emptied before a build (Vite's emptyOutDir) but cleared, once the bundle
// is known and before it is written, of what the build will not write: a rebuild writes most of the same files
// again (function chunks are named by their content), and overwriting a file costs a fraction of deleting it
// and creating it anew (0.3–0.7 ms of CPU per file created on a busy ext4 disk, for 120+ function chunks).
// What is left is what emptying leaves.

/**
 * The files and folders under `dir` (paths relative to it, with `/`), `.git` aside as Vite's emptyOutDir does; none
 * when it does not exist. A link is listed, not followed: what it points at is not the build's (Node's recursive
 * readdir follows links, into a linked node_modules or round a loop).
 */
export function outputFiles(dir: string): string[] {
  const files: string[] = []
  const walk = (folder: string, prefix: string) => {
    let entries: Dirent[]
    try {
      entries = readdirSync(folder, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      if (prefix === '' && entry.name === '.git') continue
      files.push(prefix + entry.name)
      if (entry.isDirectory()) walk(join(folder, entry.name), `${prefix}${entry.name}/`)
    }
  }
  walk(dir, '')
  return files
}

/**
 * Removes from `dir` what an earlier build left there and this one will not write (`written`: paths relative to
 * `dir`). The folders of `others` inside `dir` (the client build's, the public folder, Vite's cache) are left whole.
 */
export function removeStaleFiles(dir: string, written: Iterable<string>, others: readonly string[] = []): void {
  const kept = new Set<string>()
  const keep = (path: string) => {
    kept.add(path)
    // and the folders it is in
    for (let folder = posix.dirname(path); folder !== '.' && !kept.has(folder); folder = posix.dirname(folder)) kept.add(folder)
  }
  for (const file of written) keep(file)
  const left: string[] = []
  for (const other of others) {
    const path = relative(dir, other).split(sep).join('/')
    if (path !== '' && isWithin(other, dir)) (keep(path), left.push(`${path}/`))
  }
  // A folder with nothing of this build inside goes whole; the entries listed under it then find nothing.
  for (const entry of outputFiles(dir)) {
    if (!kept.has(entry) && !left.some((folder) => entry.startsWith(folder))) rmSync(join(dir, entry), { recursive: true, force: true })
  }
}
