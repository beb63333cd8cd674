import { transformServerFunctions, type TransformResult, type TransformTarget, type TransformWarning } from '@use-server/transform'
import { DEFAULT_BASE } from './options.js'
import { CLIENT_CONFIG_MODULE, RUNTIME_CLIENT } from './runtimeModules.js'
import type { PluginState } from './state.js'

/** The client runtime specifier stubs import: the package, or the module that configures a custom base. */
export function clientRuntimeSpecifier(state: PluginState): string {
  return state.options.base === DEFAULT_BASE ? RUNTIME_CLIENT : CLIENT_CONFIG_MODULE
}

/** Compiles one module with the plugin's settings, or returns null when it has no server functions or is not to be compiled. */
export function compileModule(
  state: PluginState,
  code: string,
  file: string,
  target: TransformTarget,
  onWarning?: (warning: TransformWarning) => void,
  sourceMap = true,
): TransformResult | null {
  if (!state.compiles(file)) return null
  return transformServerFunctions(code, file, {
    target,
    // Outside Vite (plain Rollup) the working directory stands in for the root, keeping ids portable.
    root: state.config?.root ?? process.cwd(),
    salt: state.options.salt,
    clientRuntime: clientRuntimeSpecifier(state),
    onWarning,
    parseEstree: state.parseEstree,
    parseModuleRecord: state.parseModuleRecord,
    sourceMap,
  })
}
