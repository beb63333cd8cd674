import { posix, relative } from 'node:path'
import { handlerSettings, type ResolvedOptions } from '../options.js'
import { REGISTRY_MODULE } from '../runtimeModules.js'

/** The embedded production server's entry: registry, static files from the client build, the endpoint. */
export function serverEntryCode(options: ResolvedOptions, productionServerFile: string, serverOutDir: string, clientOutDir: string): string {
  const clientDir = relative(serverOutDir, clientOutDir).split(/[\\/]/).join(posix.sep) + '/'
  return `import { bindsValues } from ${JSON.stringify(REGISTRY_MODULE)};
import { startProductionServer } from ${JSON.stringify(productionServerFile)};
startProductionServer({ clientDir: new URL(${JSON.stringify(clientDir)}, import.meta.url), bindsValues, ...${JSON.stringify(handlerSettings(options))} });
`
}
