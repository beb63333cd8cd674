// Words that can name an export (`export { x as if }`) but not a `const` binding.
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval'
  ).split(' '),
)

/**
 * Code that exports `valueCode` under `exportName`: `export const name = …`, `export default …`,
 * or a local binding exported under the name when it cannot be a binding itself.
 */
export function exportBinding(exportName: string, valueCode: string, localFallback: string): string {
  if (exportName === 'default') return `export default ${valueCode};`
  if (!RESERVED.has(exportName)) return `export const ${exportName} = ${valueCode};`
  return `const ${localFallback} = ${valueCode}; export { ${localFallback} as ${exportName} };`
}
