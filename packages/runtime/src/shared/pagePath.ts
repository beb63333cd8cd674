/**
 * A path as revalidations compare it: no query, no fragment, no trailing slash (but the root's). The
 * server stores every path it is told (`revalidatePath`, `cachePath`) this way, so the browser only
 * has to trim its own page's path.
 */
export function pagePath(path: string): string {
  return path.split(/[?#]/, 1)[0]!.replace(/(.)\/+$/, '$1')
}
