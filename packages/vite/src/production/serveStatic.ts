import { readdirSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, relative, resolve, sep } from 'node:path'
import { contentType } from 'mime-types'
import send from 'send'

export interface ServeStaticOptions {
  /**
   * Answer paths without a file extension that match no file with `index.html` (client-side routes of
   * a single-page app). Default true.
   */
  spa?: boolean
}

// Vite names built assets `name-<hash>.ext`; those never change and may be cached for a year.
const HASHED_ASSET = /[\\/]assets[\\/][^\\/]*[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/
/** Precompressed variants (from a compression plugin), preferred in this order when the client accepts them. */
const PRECOMPRESSED = [
  { encoding: 'br', extension: '.br' },
  { encoding: 'gzip', extension: '.gz' },
] as const

/**
 * Serves a client build with `send` (the engine of Express's serve-static): GET and HEAD only,
 * ETag and Last-Modified with conditional requests, byte ranges (a malformed one gets the whole
 * file, an unsatisfiable one a 416), the file stream destroyed when the client goes away, immutable
 * caching for hashed assets and revalidation for the rest, `.br`/`.gz` variants when accepted, and
 * `index.html` for client-side routes. Only files present when it starts are served, and never a
 * dotfile (but /.well-known) or anything outside `root`: a request names an entry of that list,
 * never a path on disk.
 */
export function serveStatic(root: string, options: ServeStaticOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const files = listFiles(resolve(root))
  const spa = options.spa ?? true
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'Method not allowed', { allow: 'GET, HEAD' })
    let path: string
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
    } catch {
      return answer(res, 400, 'Bad request')
    }
    const file = files.get(path) ?? files.get(join(path, 'index.html').replace(/\\/g, '/')) ?? (spa && isRoute(path) ? files.get('/index.html') : undefined)
    if (!file) return answer(res, 404, 'Not found')
    const variant = PRECOMPRESSED.find(({ encoding, extension }) => accepts(req.headers['accept-encoding'], encoding) && files.has(file.path + extension))
    const served = variant ? files.get(file.path + variant.extension)! : file
    send(req, served.path.split('/').map(encodeURIComponent).join('/'), { root: files.root, dotfiles: 'allow', cacheControl: false, index: false })
      .on('headers', (response: ServerResponse) => {
        response.setHeader('cache-control', HASHED_ASSET.test(file.abs) ? 'public, max-age=31536000, immutable' : 'no-cache')
        response.setHeader('x-content-type-options', 'nosniff')
        if (PRECOMPRESSED.some(({ extension }) => files.has(file.path + extension))) response.setHeader('vary', 'Accept-Encoding')
        if (variant) {
          response.setHeader('content-encoding', variant.encoding)
          response.setHeader('content-type', contentType(extname(file.abs)) || 'application/octet-stream')
        }
      })
      .on('error', (error: { status?: number }) => answer(res, error.status ?? 500, error.status === 416 ? 'Range not satisfiable' : 'Not found'))
      .pipe(res)
  }
}

interface StaticFile {
  /** URL path, `/assets/app-1a2b3c4d.js`. */
  path: string
  abs: string
}

/** Every file under `root` by URL path; dotfiles and dot-directories left out, but for /.well-known. */
function listFiles(root: string): Map<string, StaticFile> & { root: string } {
  const files = Object.assign(new Map<string, StaticFile>(), { root })
  const walk = (dir: string) => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return // no client build (yet): nothing to serve
    }
    for (const entry of entries) {
      // Dotfiles stay private (.env, .git); /.well-known is public by definition (RFC 8615).
      if (entry.name.startsWith('.') && !(dir === root && entry.name === '.well-known' && entry.isDirectory())) continue
      const abs = join(dir, entry.name)
      if (entry.isDirectory()) walk(abs)
      else if (entry.isFile()) {
        const path = '/' + relative(root, abs).split(sep).join('/')
        files.set(path, { path, abs })
      }
    }
  }
  walk(root)
  return files
}

/** A client-side route: no file extension, no segment that is a dotfile, `..` or a NUL. */
function isRoute(path: string): boolean {
  return extname(path) === '' && !/\/\.|\0/.test(path)
}

/** Whether an Accept-Encoding header accepts `encoding` (present, and not with q=0). */
function accepts(header: string | undefined, encoding: string): boolean {
  if (!header) return false
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';')
    if (name!.trim().toLowerCase() !== encoding) return false
    const q = params.find((param) => param.trim().startsWith('q='))
    return q === undefined || Number(q.trim().slice(2)) > 0
  })
}

function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy()
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(`${text}\n`)
}
