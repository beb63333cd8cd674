import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ViteDevServer } from 'vite'
import { afterAll } from 'vitest'
import { copyFixture } from './fixtures.js'

/**
 * For a suite that starts several dev servers on copies of one fixture app, each with a file edited:
 * makes the copies and keeps the servers, and closes and removes them all after the suite.
 */
export function editedCopies() {
  const apps: Array<ReturnType<typeof copyFixture>> = []
  const servers: ViteDevServer[] = []
  afterAll(async () => {
    for (const server of servers) await server.close().catch(() => {})
    for (const app of apps) app.remove()
  })
  return {
    /** A copy of `fixtures/apps/<fixture>` whose `file` (relative to its root) is `edit`ed; `path` is that file's. */
    copy(fixture: string, file: string, edit: (text: string) => string): { root: string; path: string } {
      const app = copyFixture(fixture)
      apps.push(app)
      const path = join(app.root, file)
      writeFileSync(path, edit(readFileSync(path, 'utf8')))
      return { root: app.root, path }
    },
    /** Keeps `server` to close after the suite. */
    keep<T extends ViteDevServer>(server: T): T {
      servers.push(server)
      return server
    },
  }
}
