/**
 * `base`, or `base$1`, `base$2`… : the first that appears nowhere in `code` (nor in `taken`), so a
 * generated binding can never capture or shadow a name the module already uses.
 */
export function uniqueIdentifier(code: string, base: string, taken: { has(name: string): boolean } = new Set()): string {
  let name = base
  for (let i = 1; code.includes(name) || taken.has(name); i++) name = `${base}$${i}`
  return name
}
