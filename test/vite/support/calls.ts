import { parse, stringify } from 'devalue'

/** Calls a server function the way the client runtime does, and decodes the envelope. */
export async function call(origin: string, id: string, args: unknown[], base = '/_server'): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${origin}${base}/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stringify(args) })
  const text = await response.text()
  let body: unknown = text
  try {
    body = parse(text)
  } catch {
    // not an envelope (an HTML error page, say): keep the text
  }
  return { status: response.status, body, headers: response.headers }
}

/** The `[id, exportName]` pairs of a compiled client module's stubs. */
export function stubsIn(code: string): Map<string, string> {
  return new Map([...code.matchAll(/createServerReference(?:\$\d+)?\("([^"]+)", "([^"]+)"\)/g)].map((m) => [m[2]!, m[1]!]))
}
