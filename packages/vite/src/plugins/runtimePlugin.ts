import type { Plugin } from 'vite'
import { CLIENT_CONFIG_MODULE, RUNTIME_CLIENT, runtimeFile } from '../runtimeModules.js'
import type { PluginState } from '../state.js'

/**
 * Resolves the runtime imports that compiled modules gain, from this package's own dependencies:
 * the app does not have to depend on `@use-server/runtime` itself. With a non-default `base`,
 * client stubs go through a small module that configures the client first.
 */
export function runtimePlugin(state: PluginState): Plugin {
  const resolvedClientConfig = '\0' + CLIENT_CONFIG_MODULE
  return {
    name: 'use-server:runtime',
    enforce: 'pre',
    sharedDuringBuild: true,
    resolveId: {
      filter: { id: /^(?:@use-server\/runtime\/|virtual:use-server\/client$)/ },
      handler(source) {
        if (source === CLIENT_CONFIG_MODULE) return resolvedClientConfig
        return runtimeFile(source)
      },
    },
    load: {
      filter: { id: /^\0virtual:use-server\/client$/ },
      handler(id) {
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
