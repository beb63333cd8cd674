/** Thrown when a function runs past the handler's `timeout`. */
export class TimeoutError extends Error {}

/** `value`, or a TimeoutError once `ms` have passed without it settling. */
export async function withTimeout<T>(value: T | Promise<T>, ms: number): Promise<T> {
  if (!(value instanceof Promise)) return value
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([
      value,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(`The server function did not finish within ${ms} ms.`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}
