// The embedded production server; bundled into dist/server by the plugin.
export { startProductionServer, type ProductionServerOptions } from './startProductionServer.js'
export { applyProductionConfig, type ProductionConfig } from './productionConfig.js'
export { serveStatic } from './serveStatic.js'
