import { posix, relative } from 'node:path'
import { handlerSettings, type ResolvedOptions } from '../options.js'
import { REGISTRY_MODULE, SERVER_CONFIG_MODULE } from '../runtimeModules.js'
import { PRODUCTION_SERVER_MODULE } from './productionServerFiles.js'

/** The file the server config module's chunk gets in the server build, for `vite preview` to load. */
export const SERVER_CONFIG_FILE = 'use-server-config.js'

/**
 * The embedded production server's entry: registry, server config, static files from the client build, the
 * endpoint. The server itself comes bundled with the package (see productionServerFiles).
 */
export function serverEntryCode(options: ResolvedOptions, serverOutDir: string, clientOutDir: string): string {
  const clientDir = relative(serverOutDir, clientOutDir).split(/[\\/]/).join(posix.sep) + '/'
  const settings = { ...handlerSettings(options), shutdownTimeout: options.shutdownTimeout }
  return `import { bindsValues } from ${JSON.stringify(REGISTRY_MODULE)};
import config from ${JSON.stringify(SERVER_CONFIG_MODULE)};
import { startProductionServer } from ${JSON.stringify(PRODUCTION_SERVER_MODULE)};
startProductionServer({ clientDir: new URL(${JSON.stringify(clientDir)}, import.meta.url), bindsValues, config, ...${JSON.stringify(settings)} });
`
}

/** The server config module: the app's (its default export), or an empty config. */
export function serverConfigCode(file: string | undefined): string {
  return file ? `export { default } from ${JSON.stringify(file)};\n` : 'export default {};\n'
}
