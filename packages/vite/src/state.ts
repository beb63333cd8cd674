import type { createFilter as CreateFilter } from '@rollup/pluginutils'
import { createRequire } from 'node:module'
import type { EstreeParse, ModuleRecordParse, ServerFunctionInfo } from '@use-server/transform'
import type { ResolvedConfig } from 'vite'
import { ServerFunctionCatalog } from './catalog.js'
import type { CompileErrors } from './dev/compileErrors.js'
import type { ResolvedOptions } from './options.js'

/** What the plugins of one `useServer()` call share. */
export interface PluginState {
  options: ResolvedOptions
  /** `include` and `exclude`, for every way a module is compiled (the pipeline, the dependency optimizer). */
  compiles: (file: string) => boolean
  catalog: ServerFunctionCatalog
  /** Set once Vite has resolved its config; undefined under plain Rollup. */
  config: ResolvedConfig | undefined
  /** Vite 8's native parser (oxc), for the modules the transform can read with it; undefined under Vite 7 and Rollup. */
  parseEstree: EstreeParse | undefined
  /** Vite's `createFilter` (the one of @rollup/pluginutils, which Vite carries), for `compiles`; unset outside Vite. */
  createFilter?: typeof CreateFilter
  /** Vite 8's `parseSync` (oxc), whose export list makes most client stubs; undefined under Vite 7 and Rollup. */
  parseModuleRecord?: ModuleRecordParse | undefined
  /** Whether this build writes the standalone production server. */
  embedded: boolean
  /** The app's own `build.emptyOutDir` for the server's output, if it set one (see buildLayout). */
  emptyServerOutDir?: boolean | undefined
  /** Ids of module functions whose stubs survived in the client build (read by the server build). */
  clientReferences: ClientReferences | undefined
  /** In the dev server: where compile errors go (the terminal once, the browser's overlay). */
  compileErrors?: CompileErrors
  /** In the dev server: settles once the server runtime is loaded and the dev resolver installed. */
  devServerReady?: Promise<unknown>
  /** This dev server's resolver, as published for the runtime entries its module runners load (see publishDevResolver). */
  devResolverKey?: number
  /** In the dev server: what knows the app's functions from its files (told of each module a server environment compiles). */
  scanner?: { compiledByEnvironment(file: string, code: string, functions: readonly ServerFunctionInfo[] | null): void }
  /** Told by the transform of every module with server functions compiled in a build. */
  onServerModule?: (context: ChunkEmitter & { environment?: { name: string } }, file: string, functions: readonly ServerFunctionInfo[]) => void
}

/** The slice of a bundler plugin context that emits a chunk. */
export interface ChunkEmitter {
  emitFile(file: { type: 'chunk'; id: string; preserveSignature: 'exports-only' }): string
}

export interface ClientReferences {
  ids: string[]
  /** Absolute paths of the modules those functions live in. */
  modules: string[]
}

export function createState(options: ResolvedOptions): PluginState {
  let filter: ((id: unknown) => boolean) | undefined
  const state: PluginState = {
    options,
    // Made on first use, with Vite's copy when there is one: loading @rollup/pluginutils costs a build more than all its calls.
    compiles: (file) => (filter ??= (state.createFilter ?? pluginutilsFilter())(options.include, options.exclude))(file),
    catalog: new ServerFunctionCatalog(),
    config: undefined,
    parseEstree: undefined,
    embedded: false,
    clientReferences: undefined,
  }
  return state
}

// Outside Vite (plain Rollup): its CommonJS build, which loads synchronously where the first module is compiled.
const pluginutilsFilter = () => (createRequire(import.meta.url)('@rollup/pluginutils') as { createFilter: typeof CreateFilter }).createFilter
