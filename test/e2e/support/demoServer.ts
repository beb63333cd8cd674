import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from '../../vite/support/fixtures.js'
import { run, startNodeServer, type RunningServer } from '../../vite/support/processes.js'

export const demoRoot = join(repoRoot, 'examples/posts')

export type Mode = 'development' | 'production'

/** The posts demo, started as a person would (`node server.mjs`), on its own fresh database file. */
export async function startDemo(mode: Mode): Promise<RunningServer & { database: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'use-server-demo-'))
  const database = join(dataDir, 'posts.db')
  if (mode === 'production') await run(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build'], demoRoot)
  const server = await startNodeServer('server.mjs', demoRoot, {
    POSTS_DB: database,
    NODE_ENV: mode,
    USE_SERVER_KEY: Buffer.alloc(32, 7).toString('base64'),
  })
  return {
    ...server,
    database,
    stop: async () => {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
