import { describe, expect, test } from 'vitest'
import { countFormParts, countMultipartParts } from './countFormParts.js'

/** A body and content type exactly as the platform writes them for `form`. */
async function encoded(form: FormData): Promise<[Uint8Array, string]> {
  const request = new Request('http://x/', { method: 'POST', body: form })
  return [new Uint8Array(await request.arrayBuffer()), request.headers.get('content-type')!]
}

const bytes = (text: string) => new TextEncoder().encode(text)

describe('countMultipartParts', () => {
  test('counts the fields and files of a body the platform wrote', async () => {
    const form = new FormData()
    form.set('$payload', '[[1],2]')
    form.set('$0', new File(['a\r\n--not-a-boundary\r\n'], 'a.txt'))
    form.set('$1', new Blob([new Uint8Array(1000)]))
    expect(countMultipartParts(...(await encoded(form)))).toBe(3)
    expect(countMultipartParts(...(await encoded(new FormData())))).toBe(0)
  })

  test('counts a delimiter only where it opens a line, and reads quoted boundaries', () => {
    const body = bytes('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx --b y\r\n--b\r\nContent-Disposition: form-data; name="c"\r\n\r\n\r\n--b--\r\n')
    expect(countMultipartParts(body, 'multipart/form-data; boundary=b')).toBe(2)
    expect(countMultipartParts(body, 'multipart/form-data; boundary="b"')).toBe(2)
    expect(countMultipartParts(body, 'multipart/form-data; charset=utf-8; BOUNDARY=b')).toBe(2)
  })

  test('is 0 without a boundary, for the parser to refuse', () => {
    expect(countMultipartParts(bytes('--b\r\n\r\n'), 'multipart/form-data')).toBe(0)
  })

  test('a megabyte of near-delimiters is counted in a few milliseconds', () => {
    const boundary = 'x'.repeat(69) + 'y'
    const body = bytes(`\n--${'x'.repeat(69)}z`.repeat(14_000))
    const start = performance.now()
    expect(countMultipartParts(body, `multipart/form-data; boundary=${boundary}`)).toBe(0)
    expect(performance.now() - start).toBeLessThan(100)
  })
})

describe('countFormParts', () => {
  const urlencoded = 'application/x-www-form-urlencoded;charset=UTF-8'
  test('counts the pairs of an urlencoded body as the platform parses them', async () => {
    for (const text of ['', 'a=1', 'a=1&b=2&b=3', 'a=1&&b', 'x=%26%26']) {
      const parsed = [...new URLSearchParams(text)].length
      const counted = countFormParts(bytes(text), urlencoded)
      // empty pairs (`&&`) count though the parse drops them: the cost is in scanning them
      expect(counted).toBeGreaterThanOrEqual(parsed)
      expect(counted).toBe(text === '' ? 0 : text.split('&').length)
    }
  })

  test('counts a multipart body by its parts', async () => {
    const form = new FormData()
    form.set('a', '1')
    form.set('b', '2')
    expect(countFormParts(...(await encoded(form)))).toBe(2)
  })
})
