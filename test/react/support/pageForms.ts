/** HTML-unescapes an attribute value as react-dom/server escapes it. */
export const unescapeHtml = (text: string) =>
  text.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

/** The hidden fields react-dom/server rendered into a form's HTML (what a browser without JavaScript would send). */
export function hiddenFields(formHtml: string): FormData {
  const data = new FormData()
  for (const input of formHtml.matchAll(/<input type="hidden" name="([^"]*)"(?: value="([^"]*)")?\/?>/g)) data.append(unescapeHtml(input[1]!), unescapeHtml(input[2] ?? ''))
  return data
}
