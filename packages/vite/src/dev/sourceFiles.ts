import { resolve } from 'node:path'
import { fdir } from 'fdir'

const SOURCE = /\.[cm]?[jt]sx?$/

/**
 * The JavaScript and TypeScript files under `dir` (absolute paths), as `**\/*.{js,jsx,ts,tsx,mjs,mts,cjs,cts}`
 * finds them without dot files: nothing in a folder or file whose name starts with a dot, in
 * `node_modules`, or in the folders of `skip` (absolute, or relative to `dir`). Read with fdir and
 * name tests: a glob library compiled its patterns on every dev start (~3.5 ms of CPU of it).
 */
export function sourceFiles(dir: string, { skip = [], followSymlinks = true }: { skip?: string[]; followSymlinks?: boolean } = {}): Promise<string[]> {
  const skipped = new Set(skip.map((path) => resolve(dir, path)))
  const crawler = new fdir(followSymlinks ? {} : { excludeSymlinks: true })
    .withFullPaths()
    .exclude((name, path) => name.startsWith('.') || name === 'node_modules' || skipped.has(resolve(path)))
    .filter((path) => SOURCE.test(path) && !/[\\/]\.[^\\/]*$/.test(path))
  return (followSymlinks ? crawler.withSymlinks({ resolvePaths: false }) : crawler).crawl(dir).withPromise()
}
