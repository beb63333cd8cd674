/**
 * `base`, or `base$1`, `base$2`… : the first that appears nowhere in `code` (nor in `taken`), so a
 * generated binding can never capture or shadow a name the module already uses. Given `resume`, a
 * base asked for again continues from the suffix it got last (which must be in `taken` by then, as
 * every name before it is), so thousands of functions of one name cost no more than one each.
 */
export function uniqueIdentifier(
  code: string,
  base: string,
  taken: { has(name: string): boolean } = new Set(),
  resume?: Map<string, number>,
): string {
  let i = resume?.get(base) ?? 0
  let name = i === 0 ? base : `${base}$${i}`
  while (code.includes(name) || taken.has(name)) name = `${base}$${++i}`
  resume?.set(base, i)
  return name
}
