import { configure, createServerReference, UnsupportedValueError } from '@use-server/runtime/client'
import { registerServerReference } from '@use-server/runtime/server'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { corpus } from '../../packages/runtime/src/codec/codecCorpus.test-support.js'
import { startServer, type TestServer } from './harness.js'

registerServerReference(async (value: unknown) => value, 'codec-echo', 'echo')
registerServerReference(async (...args: unknown[]) => args, 'codec-echo-args', 'echoArgs')
registerServerReference(
  async (form: FormData) => {
    const files = form.getAll('file') as File[]
    return {
      title: form.get('title'),
      files: await Promise.all(files.map(async (f) => ({ name: f.name, type: f.type, bytes: [...new Uint8Array(await f.arrayBuffer())] }))),
      same: files,
    }
  },
  'codec-upload',
  'upload',
)

let server: TestServer
beforeAll(async () => {
  // dev: the messages of errors are part of what these tests check; RegExp is in the codec corpus.
  server = await startServer({ dev: true, limits: { allowRegExp: true } })
  configure({ base: server.base, parallel: false })
})
afterAll(() => server.close())

const echo = createServerReference('codec-echo', 'echo')

describe('every codec type survives a round trip over HTTP', () => {
  test.each(corpus())('%s', async (_, value) => {
    expect(await echo(value)).toStrictEqual(value)
  })

  test('several arguments, undefined ones included', async () => {
    expect(await createServerReference('codec-echo-args', 'echoArgs')(1, undefined, 'three')).toStrictEqual([1, undefined, 'three'])
  })
})

describe('files', () => {
  test('FormData with two files round-trips byte-exact, as argument and as result', async () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256)
    const form = new FormData()
    form.set('title', 'Two files')
    form.append('file', new File([bytes], 'pattern.bin', { type: 'application/octet-stream' }))
    form.append('file', new File(['héllo wörld'], 'hello.txt', { type: 'text/plain' }))
    const result = await createServerReference('codec-upload', 'upload')(form)
    expect(result.title).toBe('Two files')
    expect(result.files[0]).toEqual({ name: 'pattern.bin', type: 'application/octet-stream', bytes: [...bytes] })
    expect(new TextDecoder().decode(new Uint8Array(result.files[1].bytes))).toBe('héllo wörld')
    // files sent back by the server arrive as Files with the same bytes
    expect(result.same[0]).toBeInstanceOf(File)
    expect(new Uint8Array(await result.same[0].arrayBuffer())).toEqual(bytes)
  })

  test('a 900 KB file arrives byte-exact: the parser reads it in slices, the File is made of what lay side by side in each read', async () => {
    const bytes = Uint8Array.from({ length: 900_000 }, (_, i) => (i * 31 + (i >> 8)) % 251)
    const sameBytes = createServerReference('codec-echo', 'echo')
    const back = (await sameBytes(new File([bytes], 'large.bin', { type: 'application/octet-stream' }))) as File
    expect(back.size).toBe(bytes.length)
    expect(Buffer.from(await back.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
  })

  test('Files and Blobs nested in objects, and one file twice', async () => {
    const file = new File(['abc'], 'a.txt', { type: 'text/plain', lastModified: 1234 })
    const blob = new Blob([new Uint8Array([9, 8, 7])], { type: 'application/x-test' })
    const [result] = (await createServerReference('codec-echo-args', 'echoArgs')({ file, again: file, nested: { blob } })) as [
      { file: File; again: File; nested: { blob: Blob } },
    ]
    expect(result.file).toBe(result.again)
    expect(result.file.name).toBe('a.txt')
    expect(result.file.lastModified).toBe(1234)
    expect(await result.file.text()).toBe('abc')
    expect(result.nested.blob).not.toBeInstanceOf(File)
    expect(result.nested.blob.type).toBe('application/x-test')
    expect([...new Uint8Array(await result.nested.blob.arrayBuffer())]).toEqual([9, 8, 7])
  })
})

describe('unsupported values fail on the sending side', () => {
  test('a function that is not a server function, with its path', async () => {
    const call = echo({ user: { save() {} } })
    await expect(call).rejects.toBeInstanceOf(UnsupportedValueError)
    await expect(call).rejects.toThrow(/at args\[0\]\.user\.save/)
  })

  test('a class instance and a symbol', async () => {
    await expect(echo(1, new (class Cart {})())).rejects.toThrow(/instance of Cart at args\[1\]/)
    await expect(echo([Symbol('x')])).rejects.toThrow(/a symbol at args\[0\]\[0\]/)
  })

  test('a value the server cannot send back is an error naming its path', async () => {
    registerServerReference(async () => ({ ok: true, fn: () => 1 }), 'codec-bad-result', 'badResult')
    await expect(createServerReference('codec-bad-result', 'badResult')()).rejects.toThrow(/Cannot send a function at result\.fn/)
  })
})

describe("a result's symbol keys", () => {
  const internal = Symbol('orm internals')
  registerServerReference(async () => {
    const owner = { id: 7, [internal]: { password: 'hunter2' } }
    return { rows: [{ owner }, { owner }], [Symbol.for('meta')]: 1 }
  }, 'codec-symbol-keys', 'symbolKeys')
  const symbolKeys = createServerReference('codec-symbol-keys', 'symbolKeys')

  test('in development: an error naming where they are', async () => {
    await expect(symbolKeys()).rejects.toThrow(/Cannot send POJOs with symbolic keys at result\b/)
  })

  test('in production: left out, the rest of the result (its sharing included) as it was', async () => {
    const production = await startServer({ dev: false })
    try {
      configure({ base: production.base, parallel: false })
      const response = await fetch(`${production.base}/codec-symbol-keys`, { method: 'POST', body: '[[]]', headers: { 'content-type': 'application/json' } })
      expect(response.status).toBe(200)
      expect(await response.text()).not.toContain('hunter2')
      const result = (await symbolKeys()) as { rows: Array<{ owner: object }> }
      expect(result).toStrictEqual({ rows: [{ owner: { id: 7 } }, { owner: { id: 7 } }] })
      expect(result.rows[1]!.owner).toBe(result.rows[0]!.owner)
    } finally {
      configure({ base: server.base, parallel: false })
      await production.close()
    }
  })
})
