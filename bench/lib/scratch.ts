import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A scratch directory inside bench/ (so generated apps resolve the workspace packages), removed on exit. */
export function scratchDir(name: string): string {
  const dir = join(fileURLToPath(new URL('../.tmp/', import.meta.url)), `${name}-${process.pid}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  return dir
}
