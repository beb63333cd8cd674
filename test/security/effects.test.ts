import { stringify } from 'devalue'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectRefused } from './support/expectRefused.js'
import { expectNothingLogged, expectUnharmed } from './support/expectUnharmed.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { rawCall } from './support/rawRequest.js'

// What a function does with a caller's input beyond its answer: where it redirects (a `next`
// parameter of a login form) and what it stores in a cookie. A `javascript:` target reached the
// client's `location.assign` (XSS); characters a header cannot carry, and a lone surrogate in a
// cookie value, were 500s. Both are now a 400 that says why, or encoded where that is safe.

let app: HostileApp
beforeAll(async () => {
  app = await startHostileApp()
}, 120_000)
afterAll(() => app?.remove())

const call = (id: string, ...args: unknown[]) => rawCall(app.origin, id, stringify(args))

describe('redirect() follows only http(s) URLs and paths', () => {
  test.each(['javascript:alert(document.cookie)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox', 'file:///etc/passwd', 'java\tscript:alert(1)'])(
    '%j is refused with a 400',
    async (target) => {
      expectRefused(await call(app.ids.goTo!, target), 400, /Refused to redirect to .*(only http\(s\) URLs and paths are followed|control characters)/)
      await expectUnharmed(app)
    },
  )

  test.each(['/posts\u007f', '/next\u0000', '/a\r\nSet-Cookie: x=1', '/\u0085'])('a target with a control character (%j) is refused with a 400', async (target) => {
    expectRefused(await call(app.ids.goTo!, target), 400, /contains control characters/)
  })

  test('a lone surrogate is refused with a 400', async () => {
    expectRefused(await call(app.ids.goTo!, '/\ud800'), 400, /lone surrogate/)
  })

  test.each<[string, string]>([
    ['/posts/ünïcödé', '/posts/%C3%BCn%C3%AFc%C3%B6d%C3%A9'],
    ['/a\u2028b', '/a%E2%80%A8b'],
    ['/with space?q=1 2', '/with%20space?q=1%202'],
    ['/ok?x=%41#frag', '/ok?x=%41#frag'],
    ['https://example.com/déjà', 'https://example.com/d%C3%A9j%C3%A0'],
    ['//other.example/path', '//other.example/path'],
  ])('%j is sent percent-encoded: %j', async (target, sent) => {
    expect(await call(app.ids.goTo!, target)).toMatchObject({ status: 200, envelope: { redirect: { url: sent, status: 303 } } })
  })
})

describe('cookies().set refuses what a browser would not keep, with a 400', () => {
  test.each<[string, unknown, RegExp]>([
    ['a lone surrogate', 'dark\ud800', /lone surrogate/],
    ['a value over 4 KB', 'x'.repeat(5_000), /over the 4096 bytes browsers keep/],
    ['an object', { toString: 'dark' }, /it is object, not a string/],
    ['a number array', [1, 2], /it is object, not a string/],
  ])('%s', async (_, value, message) => {
    const response = await call(app.ids.setTheme!, value)
    expectRefused(response, 400, message)
    expect(response.envelope!.error!.code).toBe('INVALID_COOKIE')
    expect(response.headers['set-cookie']).toBeUndefined()
    await expectUnharmed(app)
  })

  test('an ordinary value is set', async () => {
    const response = await call(app.ids.setTheme!, 'dark mode ☾')
    expect(response).toMatchObject({ status: 200, envelope: { value: 'saved' } })
    expect(response.headers['set-cookie']).toEqual(['theme=dark%20mode%20%E2%98%BE; Path=/'])
  })
})

test('no hostile request made the server log an error', () => expectNothingLogged(app))
