import { describe, expect, test } from 'vitest'
import { resolveHandlerOptions } from '../handlerOptions.js'
import { decodeCall } from './decodeRequest.js'
import { incomingFromRequest } from './incomingCall.js'

const options = resolveHandlerOptions({ resolve: () => undefined })
const call = (body: BodyInit, contentType?: string) =>
  incomingFromRequest(new Request('http://x/', { method: 'POST', body, headers: contentType ? { 'content-type': contentType } : {} }))
/** A multipart call, and its content type (with the boundary its body was written with). */
const formCall = (form: FormData) => {
  const request = new Request('http://x/', { method: 'POST', body: form })
  return [incomingFromRequest(request), request.headers.get('content-type')!] as const
}

describe('decodeCall', () => {
  test('stops a multipart body at the part over the limit, while parsing it', async () => {
    // 1 MB of empty file parts: a parser without limits would spend most of a second on them
    const part = '--B\r\nContent-Disposition: form-data; name="$1"; filename="f"\r\n\r\n\r\n'
    const body = part.repeat(Math.floor(1_000_000 / part.length)) + '--B--\r\n'
    await expect(decodeCall(call(body, 'multipart/form-data; boundary=B'), 'multipart/form-data; boundary=B', options)).rejects.toThrow(
      'the multipart body has more than 1000 parts, over the limit (limits.maxParts)',
    )
  })

  test('counts the parts the parser skips (no form-data Content-Disposition), and stops within a slice of one 4 MB chunk', async () => {
    // A Fetch API body may come as one chunk: parsed to its end, 200 000 such parts (1 MB) took 1.3 to 3.7 s.
    const body = '--B\r\nContent-Disposition: form-data; name="$payload"\r\n\r\n[[]]\r\n' + '--B\r\n'.repeat(800_000) + '--B--\r\n'
    const start = performance.now()
    const large = resolveHandlerOptions({ resolve: () => undefined, bodyLimit: 5_000_000 })
    await expect(decodeCall(call(body, 'multipart/form-data; boundary=B'), 'multipart/form-data; boundary=B', large)).rejects.toThrow(
      'the multipart body has more than 1000 parts, over the limit (limits.maxParts)',
    )
    expect(performance.now() - start).toBeLessThan(1_000)
  })

  test('takes the boundary from the header as a parser reads it, not from a quoted parameter', async () => {
    const part = '--B\r\nContent-Disposition: form-data; name="$1"; filename="f"\r\n\r\n\r\n'
    const body = part.repeat(1001) + '--B--\r\n'
    const contentType = 'multipart/form-data; x="y;boundary=zzz"; boundary=B'
    await expect(decodeCall(call(body, contentType), contentType, options)).rejects.toThrow(/more than 1000 parts/)
  })

  test('takes a multipart call up to the limit', async () => {
    const form = new FormData()
    form.set('$payload', '[[1],["Blob",2],[3],0]')
    for (let i = 0; i < 999; i++) form.set(`$${i}`, new Blob([String(i)]))
    const { args } = await decodeCall(...formCall(form), options)
    expect(await (args[0] as Blob).text()).toBe('0')
  })

  test.each([
    ['a file part used twice', '[[1,4],["Blob",2],[3],0,["Blob",5],[3]]', /file part \$0 is used more than once/],
    ['a part number that is an object', '[[1],["Blob",2],[3],{"valueOf":4},0]', /not a part number/],
    ['a missing part', '[[1],["Blob",2],[3],7]', /file part \$7 is missing/],
  ])('refuses %s', async (_, payload, message) => {
    const form = new FormData()
    form.set('$payload', payload)
    form.set('$0', new Blob(['x']))
    await expect(decodeCall(...formCall(form), options)).rejects.toThrow(message)
  })

  test.each([
    ['no boundary', 'multipart/form-data'],
    ['an empty boundary', 'multipart/form-data; boundary='],
  ])('refuses a multipart body with %s', async (_, contentType) => {
    await expect(decodeCall(call('--B--\r\n', contentType), contentType, options)).rejects.toThrow(/the multipart body could not be parsed/)
  })

  test('refuses a multipart body cut short', async () => {
    const body = '--B\r\nContent-Disposition: form-data; name="$payload"\r\n\r\n[[]]'
    await expect(decodeCall(call(body, 'multipart/form-data; boundary=B'), 'multipart/form-data; boundary=B', options)).rejects.toThrow(/could not be parsed/)
  })

  test('refuses more arguments than the limit, a sparse list included', async () => {
    const text = JSON.stringify([[-7, 1_000_000, 0, 1], 'x'])
    await expect(decodeCall(call(text, 'application/json'), 'application/json', options)).rejects.toThrow('1000000 arguments, over the limit of 1000')
  })

  // Revivers run only for payloads the validator saw a custom type in: one it did not see would be
  // built by devalue alone. Wherever devalue reaches it, the validator sees it too.
  test.each([
    ['an object value', '[[1],{"a":2},["FormData",3],[]]', (args: any[]) => args[0].a],
    ['an array item', '[[1],[2],["FormData",3],[]]', (args: any[]) => args[0][0]],
    ['a Map key', '[[1],["Map",2,3],["FormData",4],"v",[]]', (args: any[]) => [...args[0].keys()][0]],
    ['a Map value', '[[1],["Map",2,3],"k",["FormData",4],[]]', (args: any[]) => args[0].get('k')],
    ['a Set item', '[[1],["Set",2],["FormData",3],[]]', (args: any[]) => [...args[0]][0]],
    ['a null-prototype object', '[[1],["null","a",2],["FormData",3],[]]', (args: any[]) => args[0].a],
    ['a sparse array', '[[1],[-7,5,4,2],["FormData",3],[]]', (args: any[]) => args[0][4]],
  ])('a custom type reached through %s is revived', async (_, body, pick) => {
    const { args } = await decodeCall(call(body, 'application/json'), 'application/json', options)
    expect(pick(args)).toBeInstanceOf(FormData)
  })

  test('a custom type as a typed array\'s buffer is refused, and one nothing reaches is never built', async () => {
    await expect(decodeCall(call('[[1],["Uint8Array",2],["FormData",3],[]]', 'application/json'), 'application/json', options)).rejects.toThrow(/could not be decoded|malformed/)
    expect((await decodeCall(call('[[1],2,["FormData",3],[]]', 'application/json'), 'application/json', options)).args).toEqual([2])
  })
})
