import { readdirSync, rmSync } from 'node:fs'
import { join, posix } from 'node:path'

// The embedded server's output is not emptied before a build (Vite's emptyOutDir) but cleared of what the
// build did not write after it: a rebuild writes most of the same files again (function chunks are named by
// their content), and overwriting a file costs a fraction of deleting it and creating it anew (0.3–0.7 ms of CPU
// per file created on a busy ext4 disk, for 120+ function chunks). What is left is what emptying leaves.

/** The files under `dir` (paths relative to it, with `/`), `.git` aside as Vite's emptyOutDir does; none when it does not exist. */
export function outputFiles(dir: string): string[] {
  let entries: string[]
  try {
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  } catch {
    return []
  }
  const files: string[] = []
  for (const entry of entries) {
    const path = entry.split(/[\\/]/).join('/')
    if (path === '.git' || path.startsWith('.git/')) continue
    files.push(path)
  }
  return files
}

/**
 * Removes what an earlier build left in `dir` (`before`: files and folders, as `outputFiles` listed them
 * before this build wrote) and this build did not write.
 */
export function removeStaleFiles(dir: string, before: readonly string[], written: Iterable<string>): void {
  const kept = new Set<string>()
  for (const file of written) {
    kept.add(file)
    // and the folders it is in
    for (let folder = posix.dirname(file); folder !== '.' && !kept.has(folder); folder = posix.dirname(folder)) kept.add(folder)
  }
  // A folder with nothing of this build inside goes whole; the entries listed under it then find nothing.
  for (const entry of before) if (!kept.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true })
}
