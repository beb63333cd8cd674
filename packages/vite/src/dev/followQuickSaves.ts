import { statSync } from 'node:fs'
import type { ViteDevServer } from 'vite'

/** chokidar's window for a file's `change` events (its `_throttle('change', path, 50)`). */
const DROPPED_WITHIN_MS = 50

/**
 * Vite's file watcher (chokidar) drops a file's `change` that comes within 50 ms of the one before
 * it, for good: a second save that quick (an editor that formats on save, a save right after a
 * save) would leave the server running the code of the first one until the next save. For the
 * modules the server environment runs, the file is looked at again once that window has passed,
 * and a save the watcher dropped is announced as the watcher would have.
 */
export function followQuickSaves(server: ViteDevServer, serverEnvironment: string): () => void {
  const pending = new Map<string, ReturnType<typeof setTimeout>>()
  const signature = (file: string) => {
    try {
      const stats = statSync(file, { bigint: true })
      return `${stats.mtimeNs}:${stats.ctimeNs}:${stats.size}:${stats.ino}`
    } catch {
      return null // deleted: the watcher says so itself
    }
  }
  const onChange = (file: string) => {
    const graphFile = file.replace(/\\/g, '/') // the module graph's spelling (Vite's normalizePath)
    if ((server.environments[serverEnvironment]?.moduleGraph.getModulesByFile(graphFile)?.size ?? 0) === 0) return
    // taken now, before Vite reads the file for this change (it does so later, asynchronously)
    const seen = signature(file)
    clearTimeout(pending.get(file))
    const timer = setTimeout(() => {
      pending.delete(file)
      const now = signature(file)
      if (now !== null && now !== seen) server.watcher.emit('change', file)
    }, DROPPED_WITHIN_MS + 10)
    timer.unref?.()
    pending.set(file, timer)
  }
  server.watcher.on('change', onChange)
  return () => {
    server.watcher.off('change', onChange)
    for (const timer of pending.values()) clearTimeout(timer)
    pending.clear()
  }
}
