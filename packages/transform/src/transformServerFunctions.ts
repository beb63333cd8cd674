import MagicString from 'magic-string'
import { addRuntimeImport } from './codegen/addRuntimeImport.js'
import { findModuleDirective } from './directives/findModuleDirective.js'
import { hasDirectiveCandidate } from './directives/hasDirectiveCandidate.js'
import { isUseServerNearMiss } from './directives/nearMiss.js'
import { scanPrologueStrings } from './directives/scanPrologue.js'
import { createServerFunctionId, toModulePath } from './ids/createServerFunctionId.js'
import { collectModuleExports } from './module/collectModuleExports.js'
import { registerModuleExports } from './module/registerModuleExports.js'
import { replaceWithClientStubs } from './module/replaceWithClientStubs.js'
import { parseModule } from './parse/parseModule.js'
import type { ServerFunctionInfo, TransformOptions, TransformResult } from './types.js'

const DEFAULT_SERVER_RUNTIME = '@use-server/runtime/server'
const DEFAULT_CLIENT_RUNTIME = '@use-server/runtime/client'

/**
 * Compiles one module. Returns null when it has nothing to do with server functions; most modules
 * of an app are decided by a string search, without a parse (including most that merely mention
 * 'use server' in a message). Throws a `TransformError` (code, loc,
 * frame) when the module asks for something that cannot work.
 */
export function transformServerFunctions(code: string, id: string, options: TransformOptions): TransformResult | null {
  if (!hasDirectiveCandidate(code) && !scanPrologueStrings(code).some(isUseServerNearMiss)) return null

  const ast = parseModule(code, id)
  const directive = findModuleDirective(ast, code, id)
  if (!directive) return null

  const modulePath = toModulePath(id, options.root)
  const idOf = (exportName: string) => createServerFunctionId(modulePath, exportName, options.salt)
  const exports = collectModuleExports(ast, code, id)
  const s = new MagicString(code)

  if (options.target === 'client') {
    replaceWithClientStubs(s, ast, code, exports, idOf, options.clientRuntime ?? DEFAULT_CLIENT_RUNTIME)
  } else if (exports.length > 0) {
    const register = addRuntimeImport(s, ast, code, options.serverRuntime ?? DEFAULT_SERVER_RUNTIME, 'registerServerReference')
    registerModuleExports(s, code, exports, idOf, register)
  }

  const functions: ServerFunctionInfo[] = exports.map(({ exportName, loc }) => ({
    id: idOf(exportName),
    exportName,
    kind: 'module',
    bound: [],
    loc: { line: loc.line, column: loc.column },
  }))
  return {
    code: s.toString(),
    map: s.generateMap({ hires: true, source: id, includeContent: true }),
    functions,
  }
}
