// Words that can name an export (`export { x as if }`) but not a `const` binding.
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval'
  ).split(' '),
)

const IDENTIFIER_NAME = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u

/** An export name as it is written in `export { x as <name> }`: itself, or a string literal (`'📙'`, `'save-post'`). */
export function exportNameText(exportName: string): string {
  return IDENTIFIER_NAME.test(exportName) ? exportName : JSON.stringify(exportName)
}

/**
 * Code that exports `valueCode` under `exportName`: `export const name = …`, `export default …`,
 * or a local binding exported under the name when it cannot be a binding itself.
 */
export function exportBinding(exportName: string, valueCode: string, localFallback: string): string {
  if (exportName === 'default') return `export default ${valueCode};`
  if (!RESERVED.has(exportName) && IDENTIFIER_NAME.test(exportName)) return `export const ${exportName} = ${valueCode};`
  return `const ${localFallback} = ${valueCode}; export { ${localFallback} as ${exportNameText(exportName)} };`
}
