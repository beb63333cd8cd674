// The arguments every server-side figure sends (runtime and peers): the same values for every contender.

/** 420 records, 51 KB as JSON: a page of data sent back and forth. */
export const records = Array.from({ length: 420 }, (_, i) => ({
  id: i,
  title: `Record ${i}`,
  done: i % 3 === 0,
  tags: ['alpha', 'beta', `tag-${i % 7}`],
  score: i * 1.5,
  owner: { id: i % 11, name: `Owner ${i % 11}` },
}))

export const recordsLabel = `echo(${Math.round(Buffer.byteLength(JSON.stringify(records)) / 1024)} KB structured)`

/** A 1 MB file. */
export const uploadFile = new File([new Uint8Array(1024 * 1024).fill(7)], 'upload.bin', { type: 'application/octet-stream' })

/** A body as a browser's fetch() sends it: bytes and content type. */
export async function asSent(body: FormData | string): Promise<{ type: string; body: Buffer }> {
  const request = new Response(body)
  return { type: request.headers.get('content-type')!, body: Buffer.from(await request.arrayBuffer()) }
}
