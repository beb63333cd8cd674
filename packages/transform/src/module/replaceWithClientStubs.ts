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
  const { header, stubs } = clientStubs(exports, idOf, clientRuntime)
  const stubsByStatement = new Map<Statement, string[]>()
  exports.forEach(({ statement }, index) => {
    const list = stubsByStatement.get(statement)
    if (list) list.push(stubs[index]!)
    else stubsByStatement.set(statement, [stubs[index]!])
  })

  let position = 0
  for (const statement of ast.program.body) {
    if (statement.start! > position) s.remove(position, statement.start!)
    const statementStubs = stubsByStatement.get(statement)
    if (statementStubs) s.overwrite(statement.start!, statement.end!, statementStubs.join('\n') + '\n')
    else s.remove(statement.start!, statement.end!)
    position = statement.end!
  }
  if (code.length > position) s.remove(position, code.length)
  if (header) s.prepend(header)
}

/**
 * The client module's text: the runtime import (empty without exports) and one stub per export,
 * `export const name = createServerReference(id, name)`. Each export statement becomes its stubs,
 * one per line; the module without any export is empty.
 */
export function clientStubs(
  exports: ReadonlyArray<{ exportName: string; streams: boolean }>,
  idOf: (exportName: string) => string,
  clientRuntime: string,
): { header: string; stubs: string[] } {
  const names = new Set(exports.map((e) => e.exportName))
  const create = uniqueIdentifier('', 'createServerReference', names)
  const stubs = exports.map(({ exportName }, index) => {
    const value = `/*#__PURE__*/ ${create}(${JSON.stringify(idOf(exportName))}, ${JSON.stringify(exportName)})`
    return exportBinding(exportName, value, uniqueIdentifier('', `$$stub_${index}`, names))
  })
  if (exports.length === 0) return { header: '', stubs }
  // A module with a streaming function (an async generator) brings the client's stream reader along;
  // pages that never stream do not carry it.
  if (exports.some((e) => e.streams)) {
    const enable = uniqueIdentifier('', 'enableStreams', names)
    return { header: `import { ${create}, ${enable} } from ${JSON.stringify(clientRuntime)};\n${enable}();\n`, stubs }
  }
  return { header: `import { ${create} } from ${JSON.stringify(clientRuntime)};\n`, stubs }
}
