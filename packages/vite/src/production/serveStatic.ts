import { createReadStream, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.pdf': 'application/pdf',
}

// Vite names built assets `name-<hash>.ext`; those never change and may be cached for a year.
const HASHED = /[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/

/**
 * Serves a client build: GET and HEAD only, nothing outside `root`, content types by extension,
 * immutable caching for hashed assets and revalidation for the rest, and `index.html` for
 * extension-less paths the build has no file for (client-side routes).
 */
export function serveStatic(root: string): (req: IncomingMessage, res: ServerResponse) => void {
  const base = resolve(root)
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n')
      return
    }
    let path: string
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request\n')
      return
    }
    const file = resolve(join(base, path))
    if (path.includes('\0') || (file !== base && !file.startsWith(base + sep))) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n')
      return
    }
    const found = fileAt(file) ?? fileAt(join(file, 'index.html')) ?? (extname(path) === '' ? fileAt(join(base, 'index.html')) : undefined)
    if (!found) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n')
      return
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(found.path).toLowerCase()] ?? 'application/octet-stream',
      'content-length': found.size,
      'cache-control': HASHED.test(found.path) && found.path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      'last-modified': found.modified.toUTCString(),
      'x-content-type-options': 'nosniff',
    })
    if (req.method === 'HEAD') res.end()
    else createReadStream(found.path).pipe(res)
  }
}

function fileAt(path: string): { path: string; size: number; modified: Date } | undefined {
  try {
    const stat = statSync(path)
    return stat.isFile() ? { path, size: stat.size, modified: stat.mtime } : undefined
  } catch {
    return undefined
  }
}
