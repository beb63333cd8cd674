'use server'

/** The trivial call: the cost of the endpoint itself. */
export async function add(a: number, b: number): Promise<number> {
  return a + b
}

/** A structured argument, returned whole: the cost of decoding and encoding it. */
export async function echo<T>(value: T): Promise<T> {
  return value
}

/** A file upload: the cost of receiving and parsing a multipart body. */
export async function upload(file: File): Promise<number> {
  return file.size
}

/** Work that waits (a 5 ms query, say): the cost of many calls in flight at once. */
export async function slow(): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 5))
  return 'done'
}
