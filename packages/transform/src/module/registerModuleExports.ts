import type { Statement } from '@babel/types'
import type MagicString from 'magic-string'
import { exportNameText } from '../codegen/exportBinding.js'
import { uniqueIdentifier } from '../codegen/uniqueIdentifier.js'
import { afterFunctionKeyword } from '../inline/functionParts.js'
import { skipTrivia } from '../parse/sourceTokens.js'
import type { ModuleExport } from './collectModuleExports.js'

/**
 * Server target of a 'use server' module: the original code stays as it is, and each export is
 * registered once its value exists. Edits stay on the lines they concern, so line numbers hold.
 */
export function registerModuleExports(
  s: MagicString,
  code: string,
  exports: readonly ModuleExport[],
  idOf: (exportName: string) => string,
  register: string,
): void {
  const call = (local: string, exportName: string) =>
    `${register}(${local}, ${JSON.stringify(idOf(exportName))}, ${JSON.stringify(exportName)});`
  const afterStatement = new Map<Statement, string[]>()
  const queue = (statement: Statement, text: string) => {
    const list = afterStatement.get(statement)
    if (list) list.push(text)
    else afterStatement.set(statement, [text])
  }
  const atEnd: string[] = []
  const reexports = new Map<Statement, Array<{ imported: string; alias: string; exportName: string }>>()
  const taken = new Set<string>()
  let reexportCount = 0

  for (const entry of exports) {
    const { value, statement, exportName } = entry
    switch (value.kind) {
      case 'declaration':
        queue(statement, call(value.local, exportName))
        break
      case 'local':
        atEnd.push(call(value.local, exportName))
        break
      case 'anonymousFunction': {
        const name = uniqueIdentifier(code, '$$default', taken)
        taken.add(name)
        // where the name goes: before the parameters (or type parameters), past any comment
        const at = skipTrivia(code, afterFunctionKeyword(code, value.declaration.start!))
        s.appendLeft(at, /\s/.test(code[at - 1]!) ? name : ` ${name}`)
        queue(statement, call(name, exportName))
        break
      }
      case 'expression': {
        const { start, end, type } = value.expression
        const parens = type === 'SequenceExpression'
        s.appendLeft(start!, `${register}(${parens ? '(' : ''}`)
        s.appendRight(end!, `${parens ? ')' : ''}, ${JSON.stringify(idOf(exportName))}, ${JSON.stringify(exportName)})`)
        break
      }
      case 'reexport': {
        const alias = uniqueIdentifier(code, `$$reexport_${reexportCount++}`, taken)
        taken.add(alias)
        const imported = code.slice(value.imported.start!, value.imported.end!)
        const list = reexports.get(statement) ?? []
        list.push({ imported, alias, exportName })
        reexports.set(statement, list)
        break
      }
    }
  }

  // `export { x as y } from './m'` becomes `import { x as $$reexport_0 } from './m'` plus an export
  // and a registration of the local alias.
  for (const [statement, specifiers] of reexports) {
    if (statement.type !== 'ExportNamedDeclaration' || !statement.source) continue
    const imports = specifiers.map((r) => `${r.imported} as ${r.alias}`).join(', ')
    s.overwrite(statement.start!, statement.source.start!, `import { ${imports} } from `)
    const exported = specifiers.map((r) => `${r.alias} as ${exportNameText(r.exportName)}`).join(', ')
    queue(statement, `export { ${exported} };`)
    for (const r of specifiers) queue(statement, call(r.alias, r.exportName))
  }

  for (const [statement, calls] of afterStatement) {
    const end = statement.end!
    const isDeclaration = statement.type === 'ExportDefaultDeclaration'
      ? statement.declaration.type === 'FunctionDeclaration'
      : statement.type === 'ExportNamedDeclaration' && statement.declaration?.type === 'FunctionDeclaration'
    const separator = isDeclaration || code[end - 1] === ';' ? ' ' : '; '
    // attached to what follows the statement: a function hoisted out of it may end where it ends
    s.prependRight(end, separator + calls.join(' '))
  }
  if (atEnd.length > 0) s.append(`\n${atEnd.join('\n')}\n`)
}
