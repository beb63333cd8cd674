import type { File, Statement } from '@babel/types'
import type MagicString from 'magic-string'
import { exportBinding } from '../codegen/exportBinding.js'
import { uniqueIdentifier } from '../codegen/uniqueIdentifier.js'
import type { ModuleExport } from './collectModuleExports.js'

/**
 * Client target of a 'use server' module: every byte of the original goes (code, imports, comments)
 * and each export becomes a stub that calls the server. A stub takes the place of its export
 * statement, so the source map still leads from a stub to the function it stands for.
 */
export function replaceWithClientStubs(
  s: MagicString,
  ast: File,
  code: string,
  exports: readonly ModuleExport[],
  idOf: (exportName: string) => string,
  clientRuntime: string,
): void {
  const names = new Set(exports.map((e) => e.exportName))
  const create = uniqueIdentifier('', 'createServerReference', names)
  const stubsByStatement = new Map<Statement, string[]>()
  exports.forEach(({ exportName, statement }, index) => {
    const value = `/*#__PURE__*/ ${create}(${JSON.stringify(idOf(exportName))}, ${JSON.stringify(exportName)})`
    const stub = exportBinding(exportName, value, uniqueIdentifier('', `$$stub_${index}`, names))
    const list = stubsByStatement.get(statement)
    if (list) list.push(stub)
    else stubsByStatement.set(statement, [stub])
  })

  let position = 0
  for (const statement of ast.program.body) {
    if (statement.start! > position) s.remove(position, statement.start!)
    const stubs = stubsByStatement.get(statement)
    if (stubs) s.overwrite(statement.start!, statement.end!, stubs.join('\n') + '\n')
    else s.remove(statement.start!, statement.end!)
    position = statement.end!
  }
  if (code.length > position) s.remove(position, code.length)
  if (exports.length === 0) return
  // A module with a streaming function (an async generator) brings the client's stream reader along;
  // pages that never stream do not carry it.
  if (exports.some((e) => e.streams)) {
    const enable = uniqueIdentifier('', 'enableStreams', names)
    s.prepend(`import { ${create}, ${enable} } from ${JSON.stringify(clientRuntime)};\n${enable}();\n`)
  } else {
    s.prepend(`import { ${create} } from ${JSON.stringify(clientRuntime)};\n`)
  }
}
