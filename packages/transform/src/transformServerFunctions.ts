import MagicString from 'magic-string'
import { runtimeImports } from './codegen/runtimeImports.js'
import { afterPrologue } from './codegen/afterPrologue.js'
import { findServerDirective } from './directives/findServerDirective.js'
import { misplacedDirective } from './directives/misplacedDirective.js'
import { mayHaveInlineDirective, mayUseServer } from './directives/mayUseServer.js'
import { createServerFunctionId, toModulePath } from './ids/createServerFunctionId.js'
import { analyzeModule, type MisplacedDirective } from './inline/analyzeModule.js'
import { compileInlineFunctions } from './inline/compileInlineFunctions.js'
import { inlineOnClient } from './inline/inlineOnClient.js'
import { collectModuleExports, type ModuleExport } from './module/collectModuleExports.js'
import { readModuleRecord } from './module/readModuleRecord.js'
import { registerModuleExports } from './module/registerModuleExports.js'
import { clientStubs, replaceWithClientStubs } from './module/replaceWithClientStubs.js'
import { moduleFromEstree } from './parse/fromEstree.js'
import { parseModule } from './parse/parseModule.js'
import { generateSourceMap } from './sourcemap/generateSourceMap.js'
import type { ServerFunctionInfo, TransformOptions, TransformResult } from './types.js'

const DEFAULT_SERVER_RUNTIME = '@use-server/runtime/server'
const DEFAULT_CLIENT_RUNTIME = '@use-server/runtime/client'

/**
 * Compiles one module. Returns null when it has nothing to do with server functions; most modules
 * of an app are decided by a string search, without a parse. Throws a `TransformError` (code, loc,
 * frame) when the module asks for something that cannot work.
 */
export function transformServerFunctions(code: string, id: string, options: TransformOptions): TransformResult | null {
  if (!mayUseServer(code)) return null
  // A plain 'use server' module is read from the native parser's export list where it can be: no AST in JavaScript.
  const record = options.parseModuleRecord && readModuleRecord(code, id, options.parseModuleRecord)
  if (record && options.target === 'client') return stubsOf(record.exports, id, options)
  const plain = record && !mayHaveInlineDirective(code, record.directive.end!) ? record : null

  const ast = plain?.ast ?? ((options.parseEstree && moduleFromEstree(code, id, options.target, options.parseEstree)) || parseModule(code, id))
  const directive = plain ? plain.directive : findServerDirective(ast.program.directives, code, id, 'module')
  const modulePath = toModulePath(id, options.root)
  const idOf = (exportName: string) => createServerFunctionId(modulePath, exportName, options.salt)
  const s = new MagicString(code)
  const server = runtimeImports(s, ast, code, options.serverRuntime ?? DEFAULT_SERVER_RUNTIME)
  const registerName = () => server.local('registerServerReference')
  const bindLazilyName = () => server.local('bindServerReferenceLazily')
  const functions: ServerFunctionInfo[] = []
  const { onWarning } = options
  const onMisplacedDirective = onWarning && ((found: MisplacedDirective) => onWarning(misplacedDirective(found, code, id)))

  if (directive) {
    const exports = plain?.exports ?? collectModuleExports(ast, code, id)
    if (options.target === 'client') {
      replaceWithClientStubs(s, ast, code, exports, idOf, options.clientRuntime ?? DEFAULT_CLIENT_RUNTIME)
    } else {
      // The directive has done its work; left in, bundlers warn that they cannot keep it.
      s.overwrite(directive.value.start!, directive.value.end!, '/* use server */')
      if (exports.length > 0) registerModuleExports(s, code, exports, idOf, registerName())
    }
    for (const { exportName, loc } of exports) {
      functions.push({ id: idOf(exportName), exportName, kind: 'module', bound: [], loc: { line: loc.line, column: loc.column } })
    }
    // The client target is all stubs; on the server, functions of the module may hold inline ones.
    if (options.target === 'server' && mayHaveInlineDirective(code, directive.end!)) {
      const moduleExports = new Set(exports.flatMap(({ value }) => ('local' in value ? [value.local] : [])))
      const inline = analyzeModule(ast, code, id, { moduleExports, onMisplacedDirective })
      if (inline.length > 0) {
        for (const fn of compileInlineFunctions(inline, { s, code, id, idOf, register: registerName(), bindLazily: bindLazilyName, moduleStart: afterPrologue(ast, code) })) functions.push(fn)
      }
    }
  } else {
    const inline = analyzeModule(ast, code, id, { onMisplacedDirective })
    if (inline.length === 0) return null
    if (options.target === 'client') throw inlineOnClient(inline[0]!, code, id)
    // pushed one by one: spread as arguments, a module of 120 000 functions would overflow the stack
    for (const fn of compileInlineFunctions(inline, { s, code, id, idOf, register: registerName(), bindLazily: bindLazilyName, moduleStart: afterPrologue(ast, code) })) functions.push(fn)
  }

  server.write()
  return {
    code: s.toString(),
    // Client stubs map to nothing: a map that led back to the module would make bundlers copy the
    // whole server module (secrets, logic, unused exports) into the client's sourcesContent.
    // On the server, every token maps to its exact line and column (see generateSourceMap).
    map: options.target === 'client' || options.sourceMap === false ? { mappings: '' } : generateSourceMap(s, code, id),
    functions,
  }
}

/** The client module of a plain 'use server' module read from its module record (the full reading's output, without an AST). */
function stubsOf(exports: readonly ModuleExport[], id: string, options: TransformOptions): TransformResult {
  const modulePath = toModulePath(id, options.root)
  const idOf = (exportName: string) => createServerFunctionId(modulePath, exportName, options.salt)
  const { header, stubs } = clientStubs(exports, idOf, options.clientRuntime ?? DEFAULT_CLIENT_RUNTIME)
  return {
    code: header + stubs.map((stub) => stub + '\n').join(''),
    map: { mappings: '' },
    functions: exports.map(({ exportName, loc }) => ({ id: idOf(exportName), exportName, kind: 'module', bound: [], loc: { line: loc.line, column: loc.column } })),
  }
}
