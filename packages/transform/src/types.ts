import type { SourceMap } from 'magic-string'
import type { TransformWarning } from './errors/TransformError.js'

export type TransformTarget = 'client' | 'server'

export interface TransformOptions {
  /** `client`: stubs that call the server. `server`: the original code plus registrations. */
  target: TransformTarget
  /** Project root; ids hash the module path relative to it, so they match across machines. */
  root?: string
  /** Mixed into every id; change it to make ids of one deployment unusable against another. */
  salt?: string
  /** Where server output imports `registerServerReference` from. Default `@use-server/runtime/server`. */
  serverRuntime?: string
  /** Where client output imports `createServerReference` from. Default `@use-server/runtime/client`. */
  clientRuntime?: string
  /**
   * Told of what compiles but is most likely a mistake: a 'use server' string that is not a directive
   * (after an import or another statement, in parentheses, in a block). Default: ignored.
   */
  onWarning?: (warning: TransformWarning) => void
  /**
   * A native parser of TypeScript and JSX to ESTree, as Vite 8's `parseAst` (oxc). Given one, a
   * 'use server' module without inline functions (all the client target ever needs, and most such
   * modules on the server) is read with it instead of Babel, with the same output; every other
   * module, and any it cannot parse, goes to Babel. Default: Babel for everything.
   */
  parseEstree?: EstreeParse
  /**
   * A native parser's module record, as Vite 8's `parseSync` (oxc) gives it. Given one, the client
   * stubs of a 'use server' module whose exports are plainly async functions (or re-exports) are made
   * from the exports it lists, without an AST in JavaScript; anything else takes the full reading
   * (`parseEstree` or Babel), with the same output and the same errors. Default: none.
   */
  parseModuleRecord?: ModuleRecordParse
  /** Whether to make the server output's source map; a build that writes none can say false. Default true. */
  sourceMap?: boolean
}

/** Parses a module to ESTree (with TypeScript and JSX nodes as typescript-estree names them); throws on a syntax error. */
export type EstreeParse = (code: string, options: { lang: 'jsx' | 'ts' | 'tsx'; preserveParens: boolean }) => unknown

/** Parses a module and lists its static exports, as Vite 8's `parseSync` (oxc); offsets in UTF-16 code units. */
export type ModuleRecordParse = (
  filename: string,
  code: string,
  options: { lang: 'jsx' | 'ts' | 'tsx' },
) => { errors: readonly unknown[]; module: { staticExports: readonly StaticExportRecord[] } }

/** One export statement in a module record: its span and what it exports. */
export interface StaticExportRecord {
  start: number
  end: number
  entries: ReadonlyArray<{
    start: number
    end: number
    moduleRequest: { start: number; end: number } | null
    importName: { kind: string; name: string | null; start: number | null; end: number | null }
    exportName: { kind: string; name: string | null }
    isType: boolean
  }>
}

/** One callable server function found in a module. */
export interface ServerFunctionInfo {
  /** Public id, the last segment of the endpoint URL. */
  id: string
  /** The export that holds the function in the server output. */
  exportName: string
  /** `module`: an export of a 'use server' module. `inline`: a function with its own directive. */
  kind: 'module' | 'inline'
  /** For inline functions: the name it has in the source (`save`, `default`, `anonymous`), which `exportName` is derived from. */
  displayName?: string
  /** For inline functions, the names or member paths whose values are bound to the reference. */
  bound: string[]
  /** Where the function starts in the source (1-based line, 0-based column). */
  loc: { line: number; column: number }
}

export interface TransformResult {
  code: string
  /** The server output's map; for client stubs an empty one (`mappings: ''`): they lead to no source. */
  map: SourceMap | { mappings: '' }
  functions: ServerFunctionInfo[]
}
