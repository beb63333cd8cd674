import { handleServerFunction } from '@use-server/runtime/server'
import { useServer } from '@use-server/vite'
import { parse, stringify } from 'devalue'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { rollup } from 'rollup'
import { afterAll, describe, expect, test } from 'vitest'
import type { Plugin as RollupPlugin } from 'rollup'
import { copyFixture } from './support/fixtures.js'

// Vite's plugin type is Rollup's plus Vite's hooks; the objects are plain Rollup plugins.
const forRollup = (plugins: unknown) => plugins as RollupPlugin[]

describe('plain Rollup 4', () => {
  const app = copyFixture('rollup')
  afterAll(() => app.remove())

  test('bundles a server with target: "server": functions are registered and callable', async () => {
    const bundle = await rollup({ input: join(app.root, 'actions.js'), plugins: forRollup(useServer({ target: 'server' })) })
    const { output } = await bundle.write({ file: join(app.root, 'out/server.mjs'), format: 'es' })
    await bundle.close()
    expect(output[0].code).toContain('registerServerReference(scale,')
    await import(pathToFileURL(join(app.root, 'out/server.mjs')).href)

    const { transformServerFunctions } = await import('@use-server/transform')
    const { readFileSync } = await import('node:fs')
    const { functions } = transformServerFunctions(readFileSync(join(app.root, 'actions.js'), 'utf8'), join(app.root, 'actions.js'), { target: 'client', root: process.cwd() })!
    const scale = functions.find((f) => f.exportName === 'scale')!
    const response = await handleServerFunction(new Request(`http://app.test/_server/${scale.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stringify([4]) }))
    expect(parse(await response.text())).toEqual({ value: 40 })
  })

  test('bundles the client with target: "client": stubs only', async () => {
    const bundle = await rollup({ input: join(app.root, 'actions.js'), plugins: forRollup(useServer({ target: 'client' })), external: [/^\//] })
    const { output } = await bundle.generate({ format: 'es' })
    expect(output[0].code).toContain('createServerReference')
    expect(output[0].code).not.toContain('multiplier')
  })

  test('without a target outside Vite, the build stops with instructions', async () => {
    await expect(rollup({ input: join(app.root, 'actions.js'), plugins: forRollup(useServer()) })).rejects.toThrow(/pass `target: 'client'` or `target: 'server'`/)
  })
})
