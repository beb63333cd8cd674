import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { rawCall } from './support/rawRequest.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { pageClient, typedFailure } from './support/pageClient.js'

// A page keeps running while its server restarts or is replaced by a new build: its calls fail
// with a typed error while the server is away, work again when it is back, and a function the new
// build no longer has is reported as a stale page.

let app: HostileApp
let fn: ReturnType<typeof pageClient>
beforeAll(async () => {
  app = await startHostileApp()
  fn = pageClient(app)
}, 120_000)
afterAll(() => app?.remove())


test('the server restarts between two calls of a page: a NETWORK error meanwhile, then calls (bound ones too) work again', async () => {
  const add = fn('add')
  expect(await add(2, 3)).toBe(5)
  const readVault = (await fn('openVault')('alice')) as (item: string) => Promise<string>
  const port = Number(new URL(app.origin).port)

  await app.stop()
  const error = await typedFailure(add(2, 3))
  expect(error).toMatchObject({ code: 'NETWORK', status: 0, message: expect.stringMatching(/restarting/) })

  await app.restart(port)
  expect(await add(2, 3)).toBe(5)
  // USE_SERVER_KEY is the same after the restart, so the token sealed before it still opens
  expect(await readVault('ring')).toBe("alice's vault: ring")
})

test('a stale page calls a function the new build removed: a NOT_FOUND error that says to reload; the rest still works', async () => {
  const retired = fn('retired')
  const add = fn('add')
  expect(await retired()).toBe('still here')

  for (const file of ['src/actions.ts', 'src/main.ts']) {
    const path = join(app.root, file)
    const source = readFileSync(path, 'utf8')
    const edited = source.replace(/\/\*\* Removed by the stale-client test[^]*?\n}\n/, '').replace(/\bretired,\s*/g, '')
    expect(edited).not.toMatch(/retired/)
    writeFileSync(path, edited)
  }
  await app.stop()
  await app.rebuild()
  await app.restart(Number(new URL(app.origin).port))

  const error = await typedFailure(retired())
  expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404 })
  expect(error.message).toBe('This server function no longer exists on the server: the page is probably older than the running deployment. Reload the page.')
  // ids are stable across builds: the page's other functions keep working
  expect(await add(2, 3)).toBe(5)
})

test('a deploy replaces the chunks under a server that had not loaded them yet: a logged 500, never a silent answer of the static files', async () => {
  await app.stop()
  await app.restart(Number(new URL(app.origin).port))
  const assets = join(app.root, 'dist/server/assets')
  const chunk = readdirSync(assets).find((name) => name.startsWith('actions-'))!
  renameSync(join(assets, chunk), join(assets, `old-${chunk}`))
  try {
    const response = await rawCall(app.origin, app.ids.add!, '[[1,2],2,3]')
    // the import failed out of the handler, and the embedded server answered "405 Method not allowed" and logged nothing
    expect({ status: response.status, text: response.text }).toEqual({ status: 500, text: 'Internal Server Error\n' })
    await vi.waitFor(() => expect(app.server.output()).toMatch(/use-server: the request could not be handled .*Cannot find module/s))
  } finally {
    renameSync(join(assets, `old-${chunk}`), join(assets, chunk))
  }
})
