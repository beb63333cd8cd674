import { isAbsolute, relative } from 'node:path'
import type { Plugin } from 'vite'
import { productionServerImport } from '../build/productionServerFiles.js'
import { registryModuleCode } from '../build/registryModule.js'
import { DEV_RUNTIME_PREFIX, devRuntimeId, devRuntimeModule, loadDevRuntime } from '../dev/devRuntimeModules.js'
import { CLIENT_CONFIG_MODULE, REGISTRY_MODULE, RUNTIME_CLIENT, runtimeFile } from '../runtimeModules.js'
import type { PluginState } from '../state.js'

/** Entries that only run on the server: in a browser they fail on their Node imports, far from the cause. */
const SERVER_ONLY_ENTRY = /^@use-server\/runtime\/(?:server|node|ssr|redis)$/
const SERVER_ONLY_PREFIX = '\0use-server-server-only:'

function serverOnlyImport(source: string, importer: string, root: string | undefined): string {
  // a file by its path from the root, a module another plugin makes up by its id
  const name = root && isAbsolute(importer) ? relative(root, importer) : importer
  return (
    `${source} is server code, and ${name} imports it in a module compiled for the browser. ` +
    `Use it in a 'use server' module (cookies(), redirect(), revalidateTag()…) and import that module here ` +
    `(in code that runs on both sides, \`if (import.meta.env.SSR)\` around an \`import()\` of it leaves it out of the browser's); ` +
    `a type comes with \`import type { … }\` (\`import { type … }\` still loads the module under verbatimModuleSyntax); ` +
    `in the browser, import from @use-server/runtime/client (or /react).`
  )
}

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
      filter: { id: /^(?:@use-server\/runtime\/|virtual:use-server\/(?:client|registry|production-server)$)/ },
      handler(source, importer, options) {
        if (source === CLIENT_CONFIG_MODULE) return resolvedClientConfig
        if (source === REGISTRY_MODULE) return resolvedRegistry
        const environment = this.environment
        // The embedded server's build imports the server and the runtime from the files it copies (one copy of
        // the runtime, bundled when the package was built); any other entry is bundled as usual.
        if (state.embedded && environment?.mode === 'build' && environment.name === state.options.serverEnvironment) {
          const external = productionServerImport(source)
          if (external) return external
        }
        // Vite's dependency scan reads modules before they are compiled ('use server' ones import these too).
        const scanning = (options as { scan?: boolean }).scan === true
        const target = state.options.target ?? (environment?.config.consumer === 'client' ? 'client' : 'server')
        // Refused when loaded, not here: Vite 8's dev server retries a failed resolution in a tight loop.
        // The importer goes in base64url: the dev server URL-decodes the id, and a path with `%` broke a second decoding.
        if (target === 'client' && importer && !scanning && SERVER_ONLY_ENTRY.test(source)) return `${SERVER_ONLY_PREFIX}${source}?importer=${Buffer.from(importer).toString('base64url')}`
        if (environment?.mode === 'dev' && environment.config.consumer === 'server') return devRuntimeId(source) ?? runtimeFile(source)
        return runtimeFile(source)
      },
    },
    config(_config, env) {
      // the dev server's runtime starts loading while Vite sets the server up
      if (env.command === 'serve' && !env.isPreview) loadDevRuntime().catch(() => {}) // awaited, with its error, where it is used
    },
    load: {
      filter: { id: /^\0(?:virtual:use-server\/(?:client|registry)$|use-server-dev-runtime:|use-server-server-only:)/ },
      async handler(id) {
        if (id.startsWith(SERVER_ONLY_PREFIX)) {
          const [source, query] = id.slice(SERVER_ONLY_PREFIX.length).split('?importer=') as [string, string]
          const importer = Buffer.from(query, 'base64url').toString().replace(/^\0/, '')
          const error = new Error(serverOnlyImport(source, importer, state.config?.root))
          error.stack = `${error.message}\n    at ${importer}` // the app's place, not the bundler's frames
          this.error(error)
        }
        if (id.startsWith(DEV_RUNTIME_PREFIX)) {
          await state.devServerReady // the dev server's resolver is installed before a server module runs the runtime
          return devRuntimeModule(id, state.devResolverKey)
        }
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
