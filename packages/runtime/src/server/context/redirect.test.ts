import { describe, expect, test } from 'vitest'
import { isRedirectError, redirect, redirectTarget } from './redirect.js'

describe('redirectTarget', () => {
  test.each<[string, string]>([
    ['/posts/1', '/posts/1'],
    ['https://example.com/a?b=c#d', 'https://example.com/a?b=c#d'],
    ['?page=2', '?page=2'],
    ['/ünï', '/%C3%BCn%C3%AF'],
    ['/a b', '/a%20b'],
    ['/\u2028', '/%E2%80%A8'],
    ['/😀', '/%F0%9F%98%80'],
  ])('%j is sent as %j', (url, sent) => {
    expect(redirectTarget(url)).toBe(sent)
  })

  test.each([
    ['javascript:alert(1)', /only http\(s\) URLs and paths are followed/],
    ['data:,x', /only http\(s\)/],
    ['java\u0009script:alert(1)', /control characters/],
    ['/a\u007f', /control characters/],
    ['/a\u0085', /control characters/],
    ['/\ud83d', /lone surrogate/],
  ])('%j is refused: an INVALID_REDIRECT, status 400', (url, reason) => {
    expect(() => redirectTarget(url)).toThrow(expect.objectContaining({ code: 'INVALID_REDIRECT', status: 400, message: expect.stringMatching(reason) }))
  })

  test('redirect() throws the signal with the encoded target; a bad status is a TypeError', () => {
    let thrown: unknown
    try {
      redirect(new URL('https://example.com/é'))
    } catch (error) {
      thrown = error
    }
    expect(isRedirectError(thrown) && thrown.url).toBe('https://example.com/%C3%A9')
    expect(() => redirect('/x', { status: 200 })).toThrow(TypeError)
  })
})
