import type { Plugin } from 'vite'
import { registryModuleCode } from '../build/registryModule.js'
import { DEV_RUNTIME_PREFIX, devRuntimeId, devRuntimeModule, handOverRuntime } from '../dev/devRuntimeModules.js'
import { CLIENT_CONFIG_MODULE, REGISTRY_MODULE, RUNTIME_CLIENT, runtimeFile } from '../runtimeModules.js'
import type { PluginState } from '../state.js'

/**
 * Resolves the runtime imports that compiled modules gain, from this package's own dependencies:
 * the app does not have to depend on `@use-server/runtime` itself. With a non-default `base`,
 * client stubs go through a small module that configures the client first. Also serves the
 * registry module a server build gets.
 */
export function runtimePlugin(state: PluginState): Plugin {
  const resolvedClientConfig = '\0' + CLIENT_CONFIG_MODULE
  const resolvedRegistry = '\0' + REGISTRY_MODULE
  return {
    name: 'use-server:runtime',
    enforce: 'pre',
    sharedDuringBuild: true,
    resolveId: {
      filter: { id: /^(?:@use-server\/runtime\/|virtual:use-server\/(?:client|registry)$)/ },
      handler(source) {
        if (source === CLIENT_CONFIG_MODULE) return resolvedClientConfig
        if (source === REGISTRY_MODULE) return resolvedRegistry
        const environment = this.environment
        if (environment?.mode === 'dev' && environment.config.consumer === 'server') return devRuntimeId(source) ?? runtimeFile(source)
        return runtimeFile(source)
      },
    },
    async configureServer() {
      await handOverRuntime()
    },
    load: {
      filter: { id: /^\0(?:virtual:use-server\/(?:client|registry)$|use-server-dev-runtime:)/ },
      handler(id) {
        if (id.startsWith(DEV_RUNTIME_PREFIX)) return devRuntimeModule(id)
        // The server build fills the registry in when it knows the chunks (see buildPlugin).
        if (id === resolvedRegistry) return registryModuleCode(this.environment?.mode !== 'build')
        if (id !== resolvedClientConfig) return null
        return [
          `import { configure } from ${JSON.stringify(RUNTIME_CLIENT)};`,
          `configure({ base: ${JSON.stringify(state.options.base)} });`,
          `export * from ${JSON.stringify(RUNTIME_CLIENT)};`,
        ].join('\n')
      },
    },
  }
}
