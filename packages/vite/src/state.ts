import { createFilter } from '@rollup/pluginutils'
import type { EstreeParse, ServerFunctionInfo } from '@use-server/transform'
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
  /** Whether this build writes the standalone production server. */
  embedded: boolean
  /** Ids of module functions whose stubs survived in the client build (read by the server build). */
  clientReferences: ClientReferences | undefined
  /** In the dev server: where compile errors go (the terminal once, the browser's overlay). */
  compileErrors?: CompileErrors
  /** In the dev server: settles once the server runtime is loaded and the dev resolver installed. */
  devServerReady?: Promise<unknown>
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
  return { options, compiles: createFilter(options.include, options.exclude), catalog: new ServerFunctionCatalog(), config: undefined, parseEstree: undefined, embedded: false, clientReferences: undefined }
}
