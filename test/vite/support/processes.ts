import { spawn, type ChildProcess } from 'node:child_process'
import { stripVTControlCharacters } from 'node:util'

/**
 * The environment for a child: the test runner's, minus its NODE_ENV=test (builds and servers pick
 * their own) and the npm_* settings a package manager running the tests leaves (npm in a child must
 * behave as it would for a user).
 */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.NODE_ENV
  for (const name of Object.keys(env)) if (/^npm_/i.test(name)) delete env[name]
  return { ...env, ...extra }
}

/** Output without its colours (Vite colours it when CI is set, even into a pipe). */
const plain = (text: string) => stripVTControlCharacters(text)

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(plain(output)) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${plain(output)}`))))
  })
}

export interface RunningServer {
  origin: string
  output: () => string
  stop(): Promise<void>
  /** The server's process (to send it a signal, or wait for its exit code). */
  child: ChildProcess
}

/** Starts `node <entry>` with PORT=0 and waits for the line announcing its address. */
export function startNodeServer(entry: string, cwd: string, env: Record<string, string> = {}): Promise<RunningServer> {
  return startServer(process.execPath, [entry], cwd, { PORT: '0', HOST: '127.0.0.1', ...env })
}

/**
 * Starts a server process and waits (up to 15 s) for its output to show where it listens: the first
 * group of `ready` (by default the URL in `listening on <url>`), made an origin by `origin`.
 */
export function startServer(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  ready = /listening on (http:\/\/[^\s]+)/,
  origin = (found: string) => found.replace(/\/$/, ''),
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`${command} ${args.join(' ')} did not start:\n${output}`))
    }, 15_000)
    const onData = (chunk: string) => {
      output = plain(output + chunk)
      const match = ready.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({
          origin: origin(match[1]!),
          child,
          output: () => output,
          stop: () => new Promise((done) => (child.exitCode !== null || child.signalCode !== null ? done() : (child.once('exit', () => done()), child.kill()))),
        })
      }
    }
    child.stdout!.setEncoding('utf8').on('data', onData)
    child.stderr!.setEncoding('utf8').on('data', onData)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (!ready.test(output)) reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`))
    })
  })
}
