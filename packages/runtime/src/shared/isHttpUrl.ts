/** Whether `url`, read relative to `base`, is an http(s) URL: the only place use-server redirects to. */
export function isHttpUrl(url: string, base: string): boolean {
  try {
    const { protocol } = new URL(url, base)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}
