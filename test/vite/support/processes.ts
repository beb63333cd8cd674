import { spawn, type ChildProcess } from 'node:child_process'

/** The environment for a child: the test runner's, minus its NODE_ENV=test (builds and servers pick their own). */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.NODE_ENV
  return { ...env, ...extra }
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`))))
  })
}

export interface RunningServer {
  origin: string
  output: () => string
  stop(): Promise<void>
}

/** Starts `node <entry>` with PORT=0 and waits for the line announcing its address. */
export function startNodeServer(entry: string, cwd: string, env: Record<string, string> = {}): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [entry], { cwd, env: childEnv({ PORT: '0', HOST: '127.0.0.1', ...env }), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 15_000)
    const onData = (chunk: Buffer) => {
      output += chunk
      const match = /listening on (http:\/\/[^\s]+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({
          origin: match[1]!.replace(/\/$/, ''),
          output: () => output,
          stop: () => new Promise((done) => (child.exitCode !== null ? done() : (child.once('exit', () => done()), child.kill()))),
        })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (!/listening on/.test(output)) reject(new Error(`server exited with ${code}:\n${output}`))
    })
  })
}
