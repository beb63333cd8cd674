import { afterEach, describe, expect, test, vi } from 'vitest'
import { applyEffects } from './applyEffects.js'
import { config } from './config.js'

describe('applyEffects', () => {
  const onRedirect = config.onRedirect
  afterEach(() => void (config.onRedirect = onRedirect))

  test.each(['/posts/1', 'https://example.com/a', '//example.com/b', '?page=2', 'http://localhost:5173/x'])('follows a redirect to %j', (url) => {
    config.onRedirect = vi.fn()
    expect(applyEffects({ value: 1, redirect: { url, status: 303 } }, 200)).toBe(1)
    expect(config.onRedirect).toHaveBeenCalledWith(url, 303)
  })

  test.each(['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', 'java\nscript:alert(1)', 'data:text/html,x', 'vbscript:x', 'blob:https://x/y'])(
    'refuses a redirect to %j, whatever the server sent',
    (url) => {
      config.onRedirect = vi.fn()
      expect(() => applyEffects({ redirect: { url, status: 303 } }, 200)).toThrow(expect.objectContaining({ name: 'ServerFunctionError', code: 'INVALID_REDIRECT' }))
      expect(config.onRedirect).not.toHaveBeenCalled()
    },
  )
})
