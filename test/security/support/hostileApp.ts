import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { copyFixture } from '../../vite/support/fixtures.js'
import { run, startNodeServer, type RunningServer } from '../../vite/support/processes.js'
import { vites } from '../../vite/support/vites.js'
import { serverShape, type ServerShape } from './expectUnharmed.js'

/** The key every instance of the fixture seals bound values with (a restart keeps it, like a deploy). */
export const FIXTURE_KEY = Buffer.alloc(32, 42).toString('base64')

export interface HostileApp {
  root: string
  /** `http://127.0.0.1:<port>` of the production server. */
  origin: string
  server: RunningServer
  /** Function id by name (`add`; an inline function by its own name, `readVault`). */
  ids: Record<string, string>
  /** The server's prototypes and globals as first started, for `expectUnharmed` to compare with. */
  shapeAtStart: ServerShape
  /** Stops the server; the build stays until `remove`. */
  stop(): Promise<void>
  /** Starts `node dist/server/index.js` again, on `port` when given. */
  restart(port?: number): Promise<void>
  /** Builds again (after the test edited the sources). */
  rebuild(): Promise<void>
  remove(): Promise<void>
}

/**
 * `fixtures/apps/hostile` built with the real `vite build` and served by the production server a user
 * runs (`node dist/server/index.js`) on loopback: the Node adapter, the manifest resolver and the
 * bundled runtime exactly as shipped. `env` is added to the server's environment (NODE_OPTIONS, say).
 */
export async function startHostileApp(env: Record<string, string> = {}): Promise<HostileApp> {
  const copy = copyFixture('hostile')
  const vite = vites[0]
  const build = () => run(process.execPath, [vite.bin, 'build'], copy.root)
  const start = (port = 0) => startNodeServer('dist/server/index.js', copy.root, { USE_SERVER_KEY: FIXTURE_KEY, PORT: String(port), ...env })
  await build()
  const app: HostileApp = {
    root: copy.root,
    origin: '',
    server: undefined as unknown as RunningServer,
    ids: await idsOf(copy.root),
    shapeAtStart: {},
    stop: () => app.server.stop(),
    async restart(port) {
      app.server = await start(port)
      app.origin = app.server.origin
    },
    rebuild: async () => void (await build()),
    async remove() {
      await app.server?.stop()
      copy.remove()
    },
  }
  await app.restart()
  app.shapeAtStart = await serverShape(app)
  return app
}

async function idsOf(root: string): Promise<Record<string, string>> {
  const { transformServerFunctions } = await import('@use-server/transform')
  const file = join(root, 'src/actions.ts')
  const { functions } = transformServerFunctions(readFileSync(file, 'utf8'), file, { target: 'server', root })!
  return Object.fromEntries(functions.map((f) => [f.displayName ?? f.exportName, f.id]))
}
