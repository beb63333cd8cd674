import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectRefused } from './support/expectRefused.js'
import { expectNothingLogged, expectUnharmed } from './support/expectUnharmed.js'
import { startHostileApp, type HostileApp } from './support/hostileApp.js'
import { rawCall, rawRequest } from './support/rawRequest.js'

// Cross-site request forgery: a page on another site making the victim's browser call a function
// with the victim's cookies. Browsers send Sec-Fetch-Site and Origin on such requests; a form or a
// text/plain fetch needs no preflight, so the server itself must refuse them (Next.js once let
// `Origin: null` through).

let app: HostileApp
beforeAll(async () => {
  app = await startHostileApp()
}, 120_000)
afterAll(() => app?.remove())

const ADD = '[[1,2],2,3]'
const multipartCall = (payload: string) => {
  const boundary = 'csrf-boundary'
  return {
    type: `multipart/form-data; boundary=${boundary}`,
    body: `--${boundary}\r\nContent-Disposition: form-data; name="$payload"\r\n\r\n${payload}\r\n--${boundary}--\r\n`,
  }
}

describe('cross-site calls are a 403 that says why', () => {
  test.each<[string, () => Record<string, string>, RegExp]>([
    ['Sec-Fetch-Site: cross-site', () => ({ 'sec-fetch-site': 'cross-site' }), /is cross-site \(Sec-Fetch-Site\)/],
    ['Sec-Fetch-Site: same-site (a sibling subdomain)', () => ({ 'sec-fetch-site': 'same-site', origin: 'https://blog.example.com' }), /is same-site \(Sec-Fetch-Site\)/],
    ['Sec-Fetch-Site: none (typed in the address bar, never a page’s call)', () => ({ 'sec-fetch-site': 'none' }), /is none \(Sec-Fetch-Site\)/],
    ['Sec-Fetch-Site: cross-site with an Origin that matches the host', () => ({ 'sec-fetch-site': 'cross-site', origin: app.origin }), /is cross-site/],
    ['a foreign Origin', () => ({ origin: 'https://evil.example' }), /Origin https:\/\/evil\.example is not this server's origin/],
    ['Origin: null (a sandboxed iframe)', () => ({ origin: 'null' }), /"Origin: null"/],
    ['Origin: null with Sec-Fetch-Site: same-origin', () => ({ origin: 'null', 'sec-fetch-site': 'same-origin' }), /"Origin: null"/],
    ['an Origin that extends the host name', () => ({ origin: `http://127.0.0.1.evil.example:${new URL(app.origin).port}` }), /is not this server's origin/],
    ['an Origin on another port', () => ({ origin: 'http://127.0.0.1:1' }), /is not this server's origin/],
    ['an Origin that is not a URL', () => ({ origin: 'javascript:alert(1)' }), /is not this server's origin|is not a URL/],
    ['the right host with another scheme (https)', () => ({ origin: app.origin.replace('http:', 'https:') }), /is not this server's origin http:\/\/127\.0\.0\.1/],
    ['no Origin and no Sec-Fetch-Site, but a foreign Referer', () => ({ referer: 'https://evil.example/page.html' }), /Referer https:\/\/evil\.example is not this server's origin/],
    ['a Referer on the right host with another scheme', () => ({ referer: `${app.origin.replace('http:', 'https:')}/page` }), /Referer https:/],
    ['X-Forwarded-Host naming the attacker, without trustProxy', () => ({ origin: 'https://evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }), /is not this server's origin http:\/\/127\.0\.0\.1/],
    ['an Origin of garbage', () => ({ origin: '%%%' }), /is not a URL/],
  ])('%s', async (_, headers, message) => {
    expectRefused(await rawCall(app.origin, app.ids.add!, ADD, headers()), 403, message)
    await expectUnharmed(app)
  })
})

describe('simple requests (no preflight) from another site are refused before their body is read', () => {
  test.each<[string, () => { type: string; body: string }, Record<string, string>]>([
    ['a urlencoded form', () => ({ type: 'application/x-www-form-urlencoded', body: 'a=1' }), { origin: 'https://evil.example' }],
    ['a multipart form carrying a valid call', () => multipartCall(ADD), { origin: 'https://evil.example' }],
    ['a multipart form from a sandboxed frame', () => multipartCall(ADD), { origin: 'null' }],
    ['a multipart form, Sec-Fetch-Site only', () => multipartCall(ADD), { 'sec-fetch-site': 'cross-site' }],
    ['a text/plain fetch', () => ({ type: 'text/plain', body: ADD }), { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
  ])('%s', async (_, form, headers) => {
    const { type, body } = form()
    const response = await rawRequest(app.origin, { path: `/_server/${app.ids.add}`, headers: { 'content-type': type, ...headers }, body })
    expectRefused(response, 403, /Cross-site call refused/)
    await expectUnharmed(app)
  })
})

describe('what a same-origin page or a non-browser client sends still works', () => {
  test.each<[string, () => Record<string, string>]>([
    ['Sec-Fetch-Site: same-origin', () => ({ 'sec-fetch-site': 'same-origin', origin: app.origin })],
    ['an Origin equal to the host (an older browser)', () => ({ origin: app.origin })],
    ['a Referer from the page and no Origin (an older browser)', () => ({ referer: `${app.origin}/posts/1` })],
    ['neither header (curl, a server)', () => ({})],
  ])('%s', async (_, headers) => {
    expect(await rawCall(app.origin, app.ids.add!, ADD, headers())).toMatchObject({ status: 200, envelope: { value: 5 } })
  })

  test('a multipart call from the page itself', async () => {
    const { type, body } = multipartCall(ADD)
    const response = await rawRequest(app.origin, { path: `/_server/${app.ids.add}`, headers: { 'content-type': type, 'sec-fetch-site': 'same-origin' }, body })
    expect(response).toMatchObject({ status: 200, envelope: { value: 5 } })
  })
})

test('no hostile request made the server log an error', () => expectNothingLogged(app))
