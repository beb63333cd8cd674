import { parse } from 'devalue'
import { request, type IncomingHttpHeaders } from 'node:http'
import { connect, type Socket } from 'node:net'
import type { Envelope } from '../../../packages/runtime/src/shared/protocol.js'

export interface RawRequest {
  method?: string
  path: string
  /** Exactly these headers (Node adds Host, and Content-Length or Transfer-Encoding when missing). */
  headers?: Record<string, string | number>
  /** Sent at once. */
  body?: string | Uint8Array
  /** Sent one after another, `interval` ms apart: chunked, unless the headers give a Content-Length. */
  chunks?: Array<string | Uint8Array>
  interval?: number
}

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  text: string
  /** The body read as a use-server envelope, when it is one (references and FormData as `testRevivers` make them). */
  envelope: (Envelope & { value?: any }) | undefined
  /** Milliseconds from sending to the end of the response. */
  ms: number
  /** Of the `chunks` asked for, how many were never sent because the answer came first. */
  unsent: number
}

/**
 * One HTTP request with nothing added or checked by a client library: any method, path, header or
 * body, a body trickled in chunks, and a server that answers before the upload ends.
 */
export function rawRequest(origin: string, spec: RawRequest): Promise<RawResponse> {
  const start = performance.now()
  return new Promise((resolve, reject) => {
    let answered = false
    const chunks = [...(spec.chunks ?? [])]
    const { hostname, port } = new URL(origin)
    const headers = { ...spec.headers }
    // Node sends a DELETE or OPTIONS body with neither length nor chunking unless told the length.
    if (spec.body !== undefined && !Object.keys(headers).some((name) => /^(content-length|transfer-encoding)$/i.test(name))) {
      headers['content-length'] = Buffer.byteLength(spec.body)
    }
    // A connection of its own, as an attacker would open: no request shares the fate of another.
    // The path goes as given: a URL would resolve `..` and re-encode it first.
    const req = request({ hostname, port, path: spec.path, method: spec.method ?? 'POST', headers, agent: false }, (res) => {
      answered = true
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('error', reject)
      const unsent = chunks.length
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text, envelope: envelopeOf(text), ms: performance.now() - start, unsent }))
    })
    // A server that refuses an upload answers and closes while the body is still being written.
    req.on('error', (error) => answered || reject(error))
    if (spec.chunks) {
      const next = () => {
        if (answered || req.destroyed) return
        const chunk = chunks.shift()
        if (chunk === undefined) return void req.end()
        req.write(chunk)
        setTimeout(next, spec.interval ?? 0)
      }
      next()
    } else {
      req.end(spec.body)
    }
  })
}

/** Revivers for the custom types in a response, as plain data a test can compare. */
export const testRevivers = {
  ServerReference: (reference: unknown) => ({ reference }),
  FormData: (entries: unknown) => ({ formData: entries }),
}

function envelopeOf(text: string): RawResponse['envelope'] {
  try {
    return parse(text, testRevivers) as RawResponse['envelope']
  } catch {
    return undefined
  }
}

/** A call as the client runtime makes it (`POST <base>/<id>`, devalue text), with the body given raw. */
export function rawCall(origin: string, id: string, body: string | Uint8Array, headers: Record<string, string | number> = {}): Promise<RawResponse> {
  return rawRequest(origin, { path: `/_server/${id}`, headers: { 'content-type': 'application/json', ...headers }, body })
}

export interface RawSocket {
  socket: Socket
  /** What the server sent so far, as text (nothing is read before `read()` when opened `paused`). */
  received(): string
  /** The codes of the errors the connection met (ECONNRESET, EPIPE). */
  errors: string[]
  /** Resolves with performance.now() when the connection has closed. */
  closed: Promise<number>
  /** A request head for `socket.write`, with the Host header of the server. */
  head(method: string, path: string, headers: Record<string, string | number>): string
  /** Starts reading what the server sends (for a socket opened `paused`). */
  read(): void
}

/** A bare TCP connection to the server, for what a client library would not send: pipelined requests, writes that never stop. */
export function rawSocket(origin: string, options: { paused?: boolean } = {}): RawSocket {
  const { hostname, port } = new URL(origin)
  const socket = connect(Number(port), hostname)
  let received = ''
  const errors: string[] = []
  socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message))
  const read = () => {
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk))
    socket.resume()
  }
  if (options.paused) socket.pause()
  else read()
  return {
    socket,
    received: () => received,
    errors,
    closed: new Promise((resolve) => socket.once('close', () => resolve(performance.now()))),
    head: (method, path, headers) => `${method} ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`,
    read,
  }
}
