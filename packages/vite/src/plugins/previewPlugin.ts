import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Plugin, PreviewServer } from 'vite'
import { buildLayout } from '../build/layout.js'
import { MANIFEST_FILE } from '../build/manifest.js'
import { REGISTRY_FILE } from '../build/registryModule.js'
import { SERVER_CONFIG_FILE } from '../build/serverEntry.js'
import { handlerSettings } from '../options.js'
import type { PluginState } from '../state.js'

/**
 * `vite preview`: the page from the client build (`dist/client` beside an embedded server), and the
 * built functions through the production server's handler, with the same options, limits and checks
 * (production mode: errors reach the caller as digests).
 */
export function previewPlugin(state: PluginState): Plugin {
  return {
    name: 'use-server:preview',
    apply: (_config, env) => env.isPreview === true,

    config(userConfig, env) {
      const { clientOutDir } = buildLayout(userConfig, env, state.options)
      if (clientOutDir) return { environments: { client: { build: { outDir: clientOutDir } } } }
    },

    async configurePreviewServer(server) {
      const serverDir = findServerBuild(server, state)
      if (!serverDir) {
        server.config.logger.warn(`use-server: no server build found (no ${MANIFEST_FILE} in ${candidates(server, state).join(' or ')}), so vite preview serves the page without its server functions. Run vite build first.`)
        return
      }
      // Loading the registry makes it the authority on what is callable in this process, as in the built server.
      const [{ createMiddleware }, { applyProductionConfig }] = await Promise.all([
        import('@use-server/runtime/node'),
        import('../production/productionConfig.js'),
        import(pathToFileURL(join(serverDir, REGISTRY_FILE)).href),
      ])
      // The server config module, as the embedded server applies it: cache store, keys, hooks.
      const configFile = join(serverDir, SERVER_CONFIG_FILE)
      const config = existsSync(configFile) ? applyProductionConfig(((await import(pathToFileURL(configFile).href)) as { default?: unknown }).default, configFile) : {}
      const settings = handlerSettings(state.options)
      const { onError, onRevalidate, events = settings.events } = config
      const handle = createMiddleware({ ...settings, events, onError, onRevalidate, dev: false })
      server.middlewares.use((req, res, next) => handle(req, res, next))
    },
  }
}

/** Where the server build may be: the embedded server's directory, or the server environment's output. */
function candidates(server: PreviewServer, state: PluginState): string[] {
  const { root, environments } = server.config
  const outDir = environments[state.options.serverEnvironment]?.build.outDir
  return [...new Set([resolve(root, state.options.serverOutDir), ...(outDir ? [resolve(root, outDir)] : [])])]
}

function findServerBuild(server: PreviewServer, state: PluginState): string | undefined {
  return candidates(server, state).find((dir) => existsSync(join(dir, MANIFEST_FILE)) && existsSync(join(dir, REGISTRY_FILE)))
}
