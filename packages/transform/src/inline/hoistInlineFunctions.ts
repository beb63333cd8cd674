import type MagicString from 'magic-string'
import { functionParts } from './functionParts.js'
import { staticPropertyName } from './propertyKey.js'
import type { InlineFunction } from './scopes.js'
import { countLineBreaks } from '../parse/sourceTokens.js'

/** What takes the function's place in the code around it. */
export type Site =
  /** The reference replaces the function where it was (expressions, methods, `export default async function () {}`). */
  | { kind: 'inPlace'; reference: string }
  /** A named declaration: `binding` opens its scope (at `at`), so code above the declaration finds it, as it found the function. */
  | { kind: 'declaration'; local: string; binding: string; at: number }
  /**
   * A declaration between the cases of a switch: `forward`, a function declaration, stays in place (hoisted
   * as the original was) and forwards calls; `mark` makes it the reference, run first, in the first case `test`.
   */
  | { kind: 'switchCase'; forward: string; mark: string; test: { start: number; end: number } }

/** Everything decided about one inline function; `hoistInlineFunctions` only writes it out. */
export interface HoistPlan {
  fn: InlineFunction
  /** The module export that holds the hoisted function. */
  exportName: string
  site: Site
  /** Parameters that receive the bound values, before the function's own. */
  params: string[]
  /** Statements that open the hoisted body (references it calls by name, rebuilt from its parameters). */
  prelude: string
  /**
   * Code of the body rewritten: captured members and renamed captures read through the parameter that
   * holds them, and references to inline functions in parameter defaults rebuilt in place.
   */
  replacements: Array<{ start: number; end: number; text: string }>
}

/**
 * Moves each inline function to the end of the module as `export async function <name>(<bound>, …)`
 * and leaves its reference where it was. The body is moved, not copied, so the source map leads from
 * the hoisted code back to where it was written; the site keeps as many line breaks as the function
 * had, so code after it keeps its line numbers. Plans come outer before inner: an inner function is
 * moved out of the outer one's body after that body has moved.
 */
export function hoistInlineFunctions(s: MagicString, code: string, plans: readonly HoistPlan[], moduleStart: { at: number; lineStart: boolean }): void {
  const newline = code.includes('\r\n') ? '\r\n' : '\n'
  for (const plan of plans) {
    const { fn, exportName, site, params, prelude, replacements } = plan
    const node = fn.node
    const parts = functionParts(node, code)
    const lineBreaks = newline.repeat(countLineBreaks(code, parts.signatureStart, node.end!))

    s.remove(fn.directive.start!, fn.directive.end!)
    for (const { start, end, text } of replacements) s.update(start, end, text)
    if (prelude) s.appendLeft(fn.scope.statementsStart!, ` ${prelude}`)

    // the header of the hoisted function, and its bound parameters
    const header = `${newline}export async function${node.generator ? '*' : ''} ${exportName}`
    const bound = params.join(', ')
    const first = node.params[0]
    if (parts.paramsOpen === null) {
      s.prependRight(parts.signatureStart, `${header}(${bound ? `${bound}, ` : ''}`)
      s.appendLeft(first!.end!, ')')
    } else {
      s.prependRight(parts.signatureStart, header)
      if (bound && first?.type === 'Identifier' && first.name === 'this') s.appendLeft(first.end!, `, ${bound}`)
      else if (bound) s.appendLeft(parts.paramsOpen + 1, node.params.length > 0 ? `${bound}, ` : bound)
    }
    if (parts.arrow !== null) s.remove(parts.arrow, code[parts.arrow + 2] === ' ' ? parts.arrow + 3 : parts.arrow + 2)
    s.appendLeft(node.end!, newline)

    // what stays at the site
    if (site.kind === 'declaration') {
      const lineStart = site.at === moduleStart.at && fn.outerScope.kind === 'module' && moduleStart.lineStart
      s.appendLeft(site.at, lineStart ? `${site.binding} ` : ` ${site.binding}`)
      const exported = fn.exportStatement && fn.outerScope.kind === 'module' ? fn.exportStatement : null
      const text = exported?.type === 'ExportDefaultDeclaration' ? `export default ${site.local};` : exported ? `export { ${site.local} };` : ''
      s.update(fn.exportStatement?.start ?? node.start!, parts.signatureStart, text + lineBreaks)
    } else if (site.kind === 'switchCase') {
      s.appendLeft(site.test.start, `(${site.mark}, `)
      s.prependRight(site.test.end, ')')
      s.update(node.start!, parts.signatureStart, site.forward + lineBreaks)
    } else if (node.type === 'ObjectMethod' || node.type === 'ClassMethod') {
      s.remove(parts.modifiers!.start, parts.modifiers!.end)
      const name = staticPropertyName(node.key, node.computed)
      // `__proto__: v` would set the prototype, and a class field may not be named `constructor`
      const unsafeKey = node.type === 'ObjectMethod' ? '__proto__' : 'constructor'
      if (!node.computed && name === unsafeKey) s.update(node.key.start!, node.key.end!, `[${JSON.stringify(name)}]`)
      s.appendLeft(parts.signatureStart, (node.type === 'ObjectMethod' ? `: ${site.reference}` : ` = ${site.reference};`) + lineBreaks)
    } else if (node.type === 'FunctionDeclaration') {
      // `export default async function () {}`: nothing else can refer to it
      s.update(fn.exportStatement!.start!, parts.signatureStart, `export default ${site.reference};${lineBreaks}`)
    } else {
      s.update(node.start!, parts.signatureStart, site.reference + lineBreaks)
    }

    // a function that ends the module is where it would be moved to already
    if (node.end! < code.length) s.move(parts.signatureStart, node.end!, code.length)
  }
}
