import { describe, expect, test } from 'vitest'
import { incomingFromRequest } from '../request/incomingCall.js'
import { verifyOrigin } from './verifyOrigin.js'

const request = (headers: Record<string, string>, url = 'http://app.test/_server/x') =>
  incomingFromRequest(new Request(url, { method: 'POST', headers: { host: new URL(url).host, ...headers } }))
const policy = (allowedOrigins: string[] = [], trustProxy = false) => ({ allowedOrigins, trustProxy })

describe('verifyOrigin', () => {
  test.each<[string, Record<string, string>, ReturnType<typeof policy>]>([
    ['same-origin fetch metadata', { 'sec-fetch-site': 'same-origin', origin: 'http://app.test' }, policy()],
    ['a matching Origin without fetch metadata', { origin: 'http://app.test' }, policy()],
    ['a matching Origin with the default port spelled out', { origin: 'http://app.test:80' }, policy()],
    ['no Origin and no fetch metadata (not a browser)', {}, policy()],
    ['no Origin, no fetch metadata, a Referer from the page', { referer: 'http://app.test/posts?x=1' }, policy()],
    ['a Referer from an allowed origin', { referer: 'https://partner.test/page' }, policy(['partner.test'])],
    ['a trusted proxy that terminates TLS', { origin: 'https://public.test', 'x-forwarded-host': 'public.test', 'x-forwarded-proto': 'https' }, policy([], true)],
    ['an allowed origin', { 'sec-fetch-site': 'cross-site', origin: 'https://partner.test' }, policy(['partner.test'])],
    ['an allowed wildcard', { 'sec-fetch-site': 'same-site', origin: 'https://a.app.test' }, policy(['*.app.test'])],
    ['an allowed full origin', { 'sec-fetch-site': 'cross-site', origin: 'https://partner.test:8443' }, policy(['https://partner.test:8443'])],
  ])('allows %s', (_, headers, rules) => {
    expect(verifyOrigin(request(headers), rules)).toBeNull()
  })

  test('an https server compares the https origin', () => {
    expect(verifyOrigin(request({ origin: 'https://app.test' }, 'https://app.test/_server/x'), policy())).toBeNull()
    expect(verifyOrigin(request({ origin: 'http://app.test' }, 'https://app.test/_server/x'), policy())).toMatch(/http:\/\/app\.test is not this server's origin https:\/\/app\.test/)
  })

  test.each<[string, Record<string, string>, ReturnType<typeof policy>, RegExp]>([
    ['cross-site fetch metadata', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' }, policy(), /cross-site/],
    ['same-site fetch metadata', { 'sec-fetch-site': 'same-site', origin: 'http://sub.app.test' }, policy(), /same-site/],
    ['Origin: null', { origin: 'null' }, policy(), /Origin: null/],
    ['Origin: null even when same-origin is claimed', { origin: 'null', 'sec-fetch-site': 'same-origin' }, policy(), /Origin: null/],
    ['a foreign Origin', { origin: 'https://evil.test' }, policy(), /Origin https:\/\/evil\.test is not this server's origin http:\/\/app\.test/],
    ['the right host with another scheme', { origin: 'https://app.test' }, policy(), /Origin https:\/\/app\.test is not this server's origin http:\/\/app\.test; behind a proxy that terminates TLS/],
    ['a foreign Referer and no Origin', { referer: 'https://evil.test/attack.html' }, policy(), /Referer https:\/\/evil\.test is not this server's origin/],
    ['a garbage Referer and no Origin', { referer: '::::' }, policy(), /Referer header "::::" is not a URL/],
    ['X-Forwarded-Host without trustProxy', { origin: 'https://evil.test', 'x-forwarded-host': 'evil.test', 'x-forwarded-proto': 'https' }, policy(), /not this server's origin http:\/\/app\.test/],
    ['a forwarded host that is not the Origin', { origin: 'https://evil.test', 'x-forwarded-host': 'public.test', 'x-forwarded-proto': 'https' }, policy([], true), /not this server's origin https:\/\/public\.test; add it/],
    ['a look-alike of an allowed host', { 'sec-fetch-site': 'cross-site', origin: 'https://evilpartner.test' }, policy(['*.partner.test', 'partner.test']), /not in allowedOrigins/],
    ['a garbage Origin', { origin: 'not a url' }, policy(), /not a URL/],
  ])('refuses %s', (_, headers, rules, reason) => {
    expect(verifyOrigin(request(headers), rules)).toMatch(reason)
  })

  // Origin texts are parsed once and kept in a table keyed by the header's raw text: an attacker
  // controls those texts, so nothing they send may change how a later request is judged.
  test('origins an attacker sends (look-alikes, the own host spelled otherwise, 2 000 distinct texts) never change a later verdict', () => {
    const judge = () => [
      verifyOrigin(request({ origin: 'http://app.test' }), policy()),
      verifyOrigin(request({ referer: 'http://app.test/posts' }), policy()),
      verifyOrigin(request({ origin: 'http://evil.test' }), policy()) !== null,
      verifyOrigin(request({ origin: 'http://app.test.evil.test' }), policy()) !== null,
      verifyOrigin(request({ referer: 'http://evil.test/http://app.test' }), policy()) !== null,
    ]
    const verdicts = judge()
    expect(verdicts).toEqual([null, null, true, true, true])
    const hostile = ['HTTP://APP.TEST', 'http://app.test:80', 'http://app.test.', 'http://evil.test#http://app.test', 'http://app.test@evil.test', 'http://evil.test\\@app.test', 'not a url', 'x'.repeat(2000)]
    for (let i = 0; i < 2_000; i++) hostile.push(`http://e${i}.test`, `http://app.test/${'a'.repeat(i)}`)
    for (const origin of hostile) {
      verifyOrigin(request({ origin }), policy())
      verifyOrigin(request({ referer: origin }), policy())
      expect(judge()).toEqual(verdicts)
    }
  })
})
