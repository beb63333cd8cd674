/** Adds one entry to a flat payload and returns its index. */
export type AddEntry = (value: unknown) => number

/**
 * The body of a one-argument call in devalue's flat format, written by hand so that it can hold
 * what devalue itself never writes: `build` adds the entries and returns the argument's index.
 */
export function flatCall(build: (add: AddEntry) => number): { values: unknown[]; text: string } {
  const values: unknown[] = [null]
  const add: AddEntry = (value) => values.push(value) - 1
  values[0] = [build(add)]
  return { values, text: JSON.stringify(values) }
}
