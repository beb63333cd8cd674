import { describe, expect, test } from 'vitest'
import { incomingFromRequest } from '../request/incomingCall.js'
import { verifyOrigin } from './verifyOrigin.js'

const request = (headers: Record<string, string>) => incomingFromRequest(new Request('http://app.test/_server/x', { method: 'POST', headers: { host: 'app.test', ...headers } }))

describe('verifyOrigin', () => {
  test.each([
    ['same-origin fetch metadata', { 'sec-fetch-site': 'same-origin', origin: 'http://app.test' }, []],
    ['a matching Origin without fetch metadata', { origin: 'http://app.test' }, []],
    ['no Origin and no fetch metadata (not a browser)', {}, []],
    ['a proxy host', { origin: 'https://public.test', 'x-forwarded-host': 'public.test' }, []],
    ['an allowed origin', { 'sec-fetch-site': 'cross-site', origin: 'https://partner.test' }, ['partner.test']],
    ['an allowed wildcard', { 'sec-fetch-site': 'same-site', origin: 'https://a.app.test' }, ['*.app.test']],
    ['an allowed full origin', { 'sec-fetch-site': 'cross-site', origin: 'https://partner.test:8443' }, ['https://partner.test:8443']],
  ])('allows %s', (_, headers, allowed) => {
    expect(verifyOrigin(request(headers), allowed)).toBeNull()
  })

  test.each([
    ['cross-site fetch metadata', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' }, [], /cross-site/],
    ['same-site fetch metadata', { 'sec-fetch-site': 'same-site', origin: 'http://sub.app.test' }, [], /same-site/],
    ['Origin: null', { origin: 'null' }, [], /Origin: null/],
    ['Origin: null even when same-origin is claimed', { origin: 'null', 'sec-fetch-site': 'same-origin' }, [], /Origin: null/],
    ['a foreign Origin', { origin: 'https://evil.test' }, [], /does not match the host app\.test/],
    ['a look-alike of an allowed host', { 'sec-fetch-site': 'cross-site', origin: 'https://evilpartner.test' }, ['*.partner.test', 'partner.test'], /not in allowedOrigins/],
    ['a garbage Origin', { origin: 'not a url' }, [], /not a URL/],
  ])('refuses %s', (_, headers, allowed, reason) => {
    expect(verifyOrigin(request(headers), allowed)).toMatch(reason)
  })
})
