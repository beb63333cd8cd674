import { describe, expect, test } from 'vitest'
import { CookieStore, serializeCookie } from './cookies.js'

describe('CookieStore', () => {
  test('reads the request cookies, decoding values', () => {
    const store = new CookieStore('theme=dark; name=Ada%20Lovelace; quoted="a b"; bad=%E0%A4%A')
    expect(store.get('theme')).toEqual({ name: 'theme', value: 'dark' })
    expect(store.get('name')?.value).toBe('Ada Lovelace')
    expect(store.get('quoted')?.value).toBe('a b')
    expect(store.get('bad')?.value).toBe('%E0%A4%A')
    expect(store.has('missing')).toBe(false)
    expect(store.getAll().map((c) => c.name)).toEqual(['theme', 'name', 'quoted', 'bad'])
  })

  test('writes become Set-Cookie headers and are visible to later reads', () => {
    const store = new CookieStore('theme=dark')
    store.set('theme', 'light', { httpOnly: true, sameSite: 'lax', maxAge: 3600 })
    store.set({ name: 'name', value: 'Ada Lovelace', secure: true })
    store.delete('session')
    expect(store.get('theme')?.value).toBe('light')
    expect(store.setCookieHeaders()).toEqual([
      'theme=light; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax',
      'name=Ada%20Lovelace; Path=/; Secure',
      'session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    ])
  })

  test('deleting removes the cookie from later reads', () => {
    const store = new CookieStore('a=1')
    store.delete({ name: 'a', path: '/admin' })
    expect(store.has('a')).toBe(false)
    expect(store.setCookieHeaders()[0]).toMatch(/^a=; Path=\/admin; Max-Age=0/)
  })

  test('the same cookie written twice sends only the last value', () => {
    const store = new CookieStore(null)
    store.set('a', '1').set('a', '2')
    expect(store.setCookieHeaders()).toEqual(['a=2; Path=/'])
  })
})

describe('serializeCookie', () => {
  test.each([
    ['a name with a space', 'bad name', {}, /Invalid cookie name/],
    ['a name with a semicolon', 'a;b', {}, /Invalid cookie name/],
    ['a path that injects an attribute', 'a', { path: '/; Domain=evil.com' }, /Invalid cookie path/],
    ['a domain with a newline', 'a', { domain: 'x.com\r\nSet-Cookie: b=1' }, /Invalid cookie domain/],
    ['sameSite none without secure', 'a', { sameSite: 'none' as const }, /without secure/],
    ['partitioned without secure', 'a', { partitioned: true }, /without secure/],
    ['an infinite maxAge', 'a', { maxAge: Infinity }, /maxAge/],
    ['an invalid expires', 'a', { expires: new Date(Number.NaN) }, /expires/],
    ['an unknown priority', 'a', { priority: 'urgent' as 'high' }, /priority/],
  ])('refuses %s with an INVALID_COOKIE error (a 400)', (_, name, options, message) => {
    expect(() => serializeCookie(name, 'v', options)).toThrow(expect.objectContaining({ code: 'INVALID_COOKIE', status: 400, message: expect.stringMatching(message) }))
  })

  test.each<[string, unknown, RegExp]>([
    ['a lone surrogate', 'dark\ud800', /lone surrogate/],
    ['4 KB and more', 'x'.repeat(4_100), /over the 4096 bytes browsers keep/],
    ['an object', { toString: () => 'x' }, /it is object, not a string/],
  ])('CookieStore.set refuses a value with %s', (_, value, message) => {
    const store = new CookieStore(null)
    expect(() => store.set('theme', value as string)).toThrow(expect.objectContaining({ code: 'INVALID_COOKIE', message: expect.stringMatching(message) }))
    expect(store.setCookieHeaders()).toEqual([])
  })

  test('every attribute', () => {
    expect(serializeCookie('id', 'x;y', { domain: 'example.com', path: '/app', expires: new Date(0), secure: true, sameSite: 'none', partitioned: true, priority: 'high' })).toBe(
      'id=x%3By; Path=/app; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=None; Secure; Partitioned; Priority=High',
    )
  })
})
