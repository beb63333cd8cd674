import { describe, expect, test } from 'vitest'
import { createServerFunctionId, toModulePath } from './createServerFunctionId.js'

describe('createServerFunctionId', () => {
  test('is deterministic, url-safe, 96 bits, and does not reveal the path or the name', () => {
    const id = createServerFunctionId('src/actions/posts.ts', 'createPost')
    expect(id).toBe(createServerFunctionId('src/actions/posts.ts', 'createPost'))
    // pinned: a change here changes every id, which breaks clients of a running deployment
    expect(id).toBe('-8bQzbxNCOVDLwkZ')
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/)
    expect(id).not.toMatch(/posts|createPost/i)
  })

  test('differs by path, export name and salt', () => {
    const ids = new Set([
      createServerFunctionId('a.ts', 'f'),
      createServerFunctionId('b.ts', 'f'),
      createServerFunctionId('a.ts', 'g'),
      createServerFunctionId('a.ts', 'f', 'salt'),
      // the separator keeps path and name apart: ("a", "b.tsf") is not ("a.ts", "bf")
      createServerFunctionId('a', 'b.tsf'),
    ])
    expect(ids.size).toBe(5)
  })
})

describe('toModulePath', () => {
  test('is relative to the root, with forward slashes and no query', () => {
    expect(toModulePath('/home/me/app/src/a.ts?v=123', '/home/me/app')).toBe('src/a.ts')
    expect(toModulePath('/home/me/app/src/a.ts', '/home/me/app/')).toBe('src/a.ts')
    expect(toModulePath('/home/me/lib/a.ts', '/home/me/app')).toBe('../lib/a.ts')
    expect(toModulePath('C:\\app\\src\\a.ts', undefined)).toBe('C:/app/src/a.ts')
    expect(toModulePath('src/a.ts', '/home/me/app')).toBe('src/a.ts')
  })

  test('gives the same path on two machines with different checkouts', () => {
    expect(toModulePath('/ci/build/src/a.ts', '/ci/build')).toBe(toModulePath('/Users/me/code/src/a.ts', '/Users/me/code'))
  })
})
