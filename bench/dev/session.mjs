// One development session, in a plain Node process (no TypeScript loader in the way, as when a
// person runs `vite`): start the dev server, load the 'use server' module as the browser would,
// call it; then save an edit and wait for the new code to answer. Prints timings as JSON.
import { useServer } from '@use-server/vite'
import { stringify } from 'devalue'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'vite'

const [root, mode] = process.argv.slice(2)
const withPlugin = mode === 'with'
const actions = join(root, 'src/actions.ts')
const poll = async (attempt) => {
  while (!(await attempt())) await new Promise((r) => setTimeout(r, 5))
}

const start = performance.now()
const server = await createServer({ root, configFile: false, logLevel: 'silent', plugins: withPlugin ? [useServer()] : [], server: { port: 0, host: '127.0.0.1' } })
await server.listen()
const origin = server.resolvedUrls.local[0].replace(/\/$/, '')
const moduleText = async () => (await fetch(`${origin}/src/actions.ts`)).text()
const stub = await moduleText()
const id = withPlugin ? /createServerReference\("([^"]+)", "add"\)/.exec(stub)[1] : ''
const callAdd = async () => (await fetch(`${origin}/_server/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stringify([2, 3]) })).text()
if (withPlugin) await callAdd()
const firstAnswer = performance.now() - start

// A person saves seconds later, not the moment the first answer came: the work the first load
// started is over by then (Vite transforms the modules a served module imports ahead of the
// browser asking: ours, the client runtime's two files), and it is not the save's to pay for.
await Promise.all(Object.values(server.environments).map((environment) => environment.waitForRequestsIdle()))
writeFileSync(actions, readFileSync(actions, 'utf8').replace('return a + b', 'return a + b + 100'))
const saved = performance.now()
await poll(async () => (withPlugin ? (await callAdd()).includes('105') : (await moduleText()).includes('+ 100')))
const edit = performance.now() - saved
await server.close()
console.log(JSON.stringify({ firstAnswer, edit }))
