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

/** The server's resident memory, for the load bench. */
export async function rss(): Promise<number> {
  return process.memoryUsage().rss
}
