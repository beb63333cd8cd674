import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const CANDIDATES = [process.env.REDIS_SERVER_PATH, '/usr/bin/redis-server', '/usr/local/bin/redis-server'].filter(Boolean) as string[]

export interface RedisServer {
  url: string
  port: number
  /** SIGSTOP: the server keeps its connections but answers nothing (a wedged Redis). */
  pause(): void
  resume(): void
  /** Kills it (as a crash would); `restart` brings it back. */
  kill(): Promise<void>
  /** Starts it again on the same port (after `kill`), empty. */
  restart(): Promise<void>
  /** Kills it and removes its directory. */
  stop(): Promise<void>
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

/**
 * Debian's redis-server (installed by scripts/ensure-redis.mjs), started on a free loopback port with
 * no persistence, in a directory of its own, for one test file.
 */
export async function startRedis(): Promise<RedisServer> {
  const binary = CANDIDATES.find((path) => existsSync(path))
  if (!binary) throw new Error(`No redis-server found (looked at ${CANDIDATES.join(', ')}). Run \`node scripts/ensure-redis.mjs\`, or set REDIS_SERVER_PATH.`)
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'use-server-redis-'))
  let child: ChildProcess | undefined
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning']
      const started = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      child = started
      let output = ''
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000)
      const poll = setInterval(() => {
        const socket = createConnection(port)
        socket.once('connect', () => {
          socket.end()
          clearInterval(poll)
          clearTimeout(timer)
          resolve()
        })
        socket.once('error', () => socket.destroy())
      }, 50)
      started.stdout!.on('data', (chunk) => (output += chunk))
      started.stderr!.on('data', (chunk) => (output += chunk))
      started.once('exit', (code) => {
        clearInterval(poll)
        clearTimeout(timer)
        reject(new Error(`redis-server exited with ${code}:\n${output}`))
      })
    })
  const kill = () =>
    new Promise<void>((resolve) => {
      const running = child
      if (!running || running.exitCode !== null || running.signalCode !== null) return resolve()
      running.once('exit', () => resolve())
      running.kill('SIGCONT')
      running.kill('SIGKILL')
    })
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    kill,
    restart: start,
    async stop() {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
