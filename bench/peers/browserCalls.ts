import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { isDeepStrictEqual } from 'node:util'
import { asSent, records, uploadFile } from '../runtime/payloads.js'

/** A call as a framework's own browser client sent it, replayed by the load generator. */
export interface CapturedCall {
  path: string
  headers: Record<string, string>
  body: Buffer
}

export type FunctionName = 'add' | 'echo' | 'upload' | 'slow'
export const FUNCTIONS: FunctionName[] = ['add', 'echo', 'upload', 'slow']

const EXPECTED: Record<FunctionName, unknown> = { add: 3, echo: records, upload: 1024 * 1024, slow: 'done' }

// Headers the load generator sets itself (and a body length that must match the body it sends).
const OWN_HEADERS = new Set(['host', 'connection', 'content-length'])

type SentPart = { name: string; value: string } | { name: string; file: { name: string; type: string } }

/** A multipart body with the parts a client sent, its files being the bench's upload file. */
async function multipart(parts: SentPart[]): Promise<{ type: string; body: Buffer }> {
  const form = new FormData()
  for (const part of parts) {
    if ('value' in part) form.append(part.name, part.value)
    else form.append(part.name, new File([uploadFile], part.file.name, { type: part.file.type }))
  }
  return asSent(form)
}

/** Debian's Chromium, as the browser tests use it (never a downloaded browser). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => path && existsSync(path))
  if (!executablePath) throw new Error('No Chromium found: run `node scripts/ensure-chromium.mjs`, or set CHROMIUM_PATH.')
  return chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] })
}

/**
 * Opens `origin` in Chromium, calls each server function through the page's own client (the app put
 * them on `window`), checks every answer, and returns each call's request as the browser sent it.
 */
export async function captureCalls(browser: Browser, origin: string, who: string): Promise<Record<FunctionName, CapturedCall>> {
  const context = await browser.newContext()
  // The browser does not hand over the bytes of a multipart body; its parts are noted as sent, and
  // the body is made again from them (the file is the same 1 MB of 7s).
  await context.addInitScript(() => {
    const send = window.fetch
    window.fetch = (input, init) => {
      const body = init?.body
      ;(window as unknown as { sentParts?: unknown }).sentParts =
        body instanceof FormData ? [...body].map(([name, value]) => (typeof value === 'string' ? { name, value } : { name, file: { name: value.name, type: value.type } })) : undefined
      return send(input, init)
    }
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  try {
    await page.goto(`${origin}/`)
    await page.waitForFunction((names) => names.every((name) => typeof (window as unknown as Record<string, unknown>)[name] === 'function'), FUNCTIONS, { timeout: 30_000 }).catch(() => {
      throw new Error(`${who}: the page at ${origin}/ never exposed its server functions${errors.length ? ` (page errors: ${errors.join('; ')})` : ''}`)
    })
    const captured = {} as Record<FunctionName, CapturedCall>
    for (const name of FUNCTIONS) {
      const sent = page.waitForRequest((request) => request.method() === 'POST', { timeout: 30_000 })
      const answer = await page.evaluate(
        async ({ name, records }) => {
          const fns = window as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
          if (name === 'add') return fns.add!(1, 2)
          if (name === 'echo') return fns.echo!(records)
          if (name === 'upload') return fns.upload!(new File([new Uint8Array(1024 * 1024).fill(7)], 'upload.bin', { type: 'application/octet-stream' }))
          return fns.slow!()
        },
        { name, records },
      )
      if (!isDeepStrictEqual(answer, EXPECTED[name])) throw new Error(`${who}: ${name}() answered ${JSON.stringify(answer)?.slice(0, 200)}, not what it should`)
      const request = await sent
      const headers = Object.fromEntries(Object.entries(await request.allHeaders()).filter(([header]) => !OWN_HEADERS.has(header) && !header.startsWith(':')))
      const url = new URL(request.url())
      let body = request.postDataBuffer() ?? Buffer.alloc(0)
      const parts = await page.evaluate(() => (window as unknown as { sentParts?: SentPart[] }).sentParts)
      if (parts) ({ type: headers['content-type']!, body } = await multipart(parts))
      captured[name] = { path: url.pathname + url.search, headers, body }
    }
    return captured
  } finally {
    await context.close()
  }
}
