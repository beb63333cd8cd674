import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { transformServerFunctions, type TransformError } from '@use-server/transform'
import { afterEach, describe, expect, test } from 'vitest'
import { answerWithOverlayOnFailure, errorPageHtml, isPageNavigation } from './errorPage.js'

function compileError(): TransformError {
  try {
    transformServerFunctions("'use server'\nexport const x = </script><script>alert(1)</script>\n", '/app/src/x.ts', { target: 'server' })
  } catch (error) {
    return error as TransformError
  }
  throw new Error('expected a compile error')
}

let close: (() => void) | undefined
afterEach(() => close?.())

/** A real server whose app answers with `app`; the overlay takes over when `standing()` says so. */
async function serve(app: (res: ServerResponse) => void, standing: () => TransformError | undefined) {
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    answerWithOverlayOnFailure(res, standing, (error) => errorPageHtml(error, '/@vite/client'))
    app(res)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  close = () => server.close()
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() }
}

describe('answerWithOverlayOnFailure', () => {
  const error = compileError()

  test.each([
    ['writeHead, then end', (res: ServerResponse) => (res.writeHead(500, { 'content-type': 'text/plain', 'content-length': '21' }), res.end('Internal Server Error'))],
    ['statusCode, then end', (res: ServerResponse) => ((res.statusCode = 503), res.end('down'))],
    ['writes, then end', (res: ServerResponse) => ((res.statusCode = 500), res.write('partial '), res.end('answer'))],
  ])('a server error while a compile error stands becomes the overlay page (%s)', async (_, app) => {
    const answer = await serve(app, () => error)
    expect(answer.status).toBe(500)
    expect(answer.type).toBe('text/html; charset=utf-8')
    expect(answer.body).toContain('<script type="module" src="/@vite/client"></script>')
    expect(answer.body).toContain('new ErrorOverlay(error)')
    expect(answer.body).not.toMatch(/Internal Server Error|partial|down/)
    // the error's text cannot close the script it is embedded in
    expect(answer.body).not.toContain('</script><script>alert(1)')
  })

  test('any other answer goes through untouched, streamed or not', async () => {
    expect(await serve((res) => (res.writeHead(200, { 'content-type': 'text/plain' }), res.write('a'), res.end('b')), () => error)).toMatchObject({ status: 200, body: 'ab' })
    expect(await serve((res) => (res.writeHead(404), res.end('missing')), () => error)).toMatchObject({ status: 404, body: 'missing' })
    expect(await serve((res) => (res.writeHead(500, { 'content-type': 'text/plain' }), res.end('broken')), () => undefined)).toMatchObject({ status: 500, body: 'broken' })
  })
})

describe('isPageNavigation', () => {
  const request = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as IncomingMessage
  test('a document load is; scripts, fetches and posts are not', () => {
    expect(isPageNavigation(request('GET', { 'sec-fetch-dest': 'document', accept: 'text/html' }))).toBe(true)
    expect(isPageNavigation(request('GET', { accept: 'text/html,application/xhtml+xml' }))).toBe(true)
    expect(isPageNavigation(request('GET', { 'sec-fetch-dest': 'script', accept: '*/*' }))).toBe(false)
    expect(isPageNavigation(request('GET', { 'sec-fetch-dest': 'empty', accept: 'text/html' }))).toBe(false)
    expect(isPageNavigation(request('POST', { 'sec-fetch-dest': 'document' }))).toBe(false)
  })
})
