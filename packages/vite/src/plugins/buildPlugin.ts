import { isAbsolute, resolve } from 'node:path'
import type { Plugin, ResolvedConfig, UserConfig } from 'vite'
import type { CatalogEntry } from '../catalog.js'
import { idsFoundIn, loadClientReferences, saveClientReferences } from '../build/clientReferences.js'
import { buildLayout, isWithin } from '../build/layout.js'
import { createManifest, MANIFEST_FILE } from '../build/manifest.js'
import { importsProductionServer, linkProductionServer, PRODUCTION_SERVER_DIR, productionServerFiles } from '../build/productionServerFiles.js'
import { fillRegistry, REGISTRY_FILE, type RegistryRow } from '../build/registryModule.js'
import { SERVER_CONFIG_FILE, serverConfigCode, serverEntryCode } from '../build/serverEntry.js'
import { removeStaleFiles } from '../build/staleOutputFiles.js'
import { firstBuild, isWatcher, sameReferences, type BuildWatcher } from '../build/watchMode.js'
import { serverConfigFile } from '../options.js'
import { REGISTRY_MODULE, SERVER_CONFIG_MODULE, SERVER_ENTRY_MODULE } from '../runtimeModules.js'
import type { ChunkEmitter, ClientReferences, PluginState } from '../state.js'

const RESOLVED_REGISTRY = '\0' + REGISTRY_MODULE

/**
 * Production builds: the client is built first and tells which functions its stubs kept; the
 * server build then gets one chunk per server-function module, a registry that imports them lazily,
 * `use-server-manifest.json`, and (for apps without SSR) a standalone server entry.
 */
export function buildPlugin(state: PluginState): Plugin {
  const { options } = state
  const emitted = new Map<string, string>() // module file → emitted chunk reference
  let entryIds = new Set<string>()
  let builtWith: ClientReferences | undefined // what the server build last started from

  // Inline functions are callable wherever the server meets them; module exports only if the
  // client kept them (or, without client information, all of them). Told by the transform plugin.
  state.onServerModule = (context, file, functions) => {
    if (context.environment?.name !== options.serverEnvironment) return
    if (functions.some((fn) => fn.kind === 'inline') || (!state.clientReferences && functions.length > 0)) emitModuleChunk(context, file)
  }

  const injectRegistry = {
    filter: { id: /(?!)/ as RegExp },
    handler(this: { environment?: { name: string } }, code: string, id: string) {
      if (state.embedded || this.environment?.name !== options.serverEnvironment || !entryIds.has(id)) return null
      return { code: `import ${JSON.stringify(REGISTRY_MODULE)};\n${code}`, map: null }
    },
  }

  return {
    name: 'use-server:build',
    apply: 'build',
    sharedDuringBuild: true,

    config(userConfig, env) {
      const name = options.serverEnvironment
      const { embedded, clientOutDir, emptyServerOutDir } = buildLayout(userConfig, env, options)
      state.embedded = embedded
      state.emptyServerOutDir = emptyServerOutDir
      if (!embedded) return
      const config: UserConfig = {
        builder: userConfig.builder ?? {},
        environments: {
          client: { build: { outDir: clientOutDir } },
          // Node, not the browsers of the client build (Vite 7 would lower the server for them and refuse
          // syntax they lack, string export names among them). public/ is the client's: copied into the
          // server's output it would only be stale clutter. Not emptied first: what the build will not write
          // is removed before it writes (see staleOutputFiles).
          [name]: { consumer: 'server', build: { target: userConfig.environments?.[name]?.build?.target ?? 'node20', outDir: options.serverOutDir, emptyOutDir: false, copyPublicDir: false, rollupOptions: { input: { index: SERVER_ENTRY_MODULE } } } },
        },
      }
      return config
    },

    buildApp: {
      order: 'pre',
      async handler(builder) {
        // The client first: the server build needs to know which stubs it kept.
        const environments = Object.values(builder.environments).sort((a, b) => Number(b.name === 'client') - Number(a.name === 'client'))
        let client: BuildWatcher | undefined
        for (const environment of environments) {
          if (environment.isBuilt) continue
          const output = await builder.build(environment)
          if (!isWatcher(output)) continue
          // `vite build --watch`: a watcher is back before its first build ends.
          if (environment.name === 'client') await firstBuild((client = output))
          else if (client && environment.name === options.serverEnvironment) {
            rebuildOnNewReferences(client, output, () => builder.build(environment).catch((error: Error) => environment.logger.error(error.message, { error })))
          }
        }
      },
    },

    async buildStart(inputOptions) {
      const environment = this.environment
      if (!environment || environment.config.consumer === 'client' || environment.name !== options.serverEnvironment) return
      emitted.clear()
      const root = environment.config.root
      state.clientReferences ??= loadClientReferences(environment.config.cacheDir, root)
      builtWith = state.clientReferences
      if (!state.clientReferences) {
        environment.logger.warn('use-server: no client build found before this server build, so every export of every \'use server\' module it meets will be callable. Build the client first (`vite build`, then `vite build --ssr`) so only the functions the client uses are.')
      }
      for (const file of state.clientReferences?.modules ?? []) emitModuleChunk(this, file)
      // The registry under a name of its own too, for `vite preview` to load without starting a server.
      this.emitFile({ type: 'chunk', id: REGISTRY_MODULE, fileName: REGISTRY_FILE })
      // The server config too: `vite preview` applies it as the embedded server does.
      if (state.embedded) this.emitFile({ type: 'chunk', id: SERVER_CONFIG_MODULE, fileName: SERVER_CONFIG_FILE })
      const inputs = Array.isArray(inputOptions.input) ? inputOptions.input : typeof inputOptions.input === 'string' ? [inputOptions.input] : Object.values(inputOptions.input ?? {})
      const resolved = await Promise.all(inputs.map((input) => this.resolve(input)))
      entryIds = new Set(resolved.flatMap((r) => (r ? [r.id] : [])))
    },

    // Filtered, so the bundler does not call into JavaScript for every other import and module.
    resolveId: {
      filter: { id: new RegExp(`^(?:${escapeRegExp(SERVER_ENTRY_MODULE)}|${escapeRegExp(SERVER_CONFIG_MODULE)})$`) },
      handler: (source) => '\0' + source,
    },

    load: {
      filter: { id: new RegExp(`^\0(?:${escapeRegExp(SERVER_ENTRY_MODULE)}|${escapeRegExp(SERVER_CONFIG_MODULE)})$`) },
      handler(id) {
        const config = state.config!
        if (id === `\0${SERVER_CONFIG_MODULE}`) return serverConfigCode(serverConfigFile(options, config.root))
        const serverOutDir = resolve(config.root, options.serverOutDir)
        const clientOutDir = resolve(config.root, config.environments.client!.build.outDir)
        return serverEntryCode(options, serverOutDir, clientOutDir)
      },
    },

    configResolved(config) {
      // The hook below only needs to see the app's server entries: a filter keeps the bundler from
      // calling into JavaScript for every other module.
      const inputs = serverEntryInputs(config, options.serverEnvironment)
      injectRegistry.filter.id = inputs.every((input) => isAbsolute(input) || input.startsWith('.') || input.includes('/'))
        ? new RegExp(`^(?:${inputs.map((input) => escapeRegExp(resolve(config.root, input))).join('|')})(?:\\?|$)`)
        : /./
    },

    // An app's own server entry gets the registry, so its handler knows every function.
    transform: injectRegistry,

    // The embedded server's chunks import the copied server and runtime by their path from each chunk.
    renderChunk(code, chunk, outputOptions) {
      if (!state.embedded || this.environment?.name !== options.serverEnvironment || !importsProductionServer(code)) return null
      return linkProductionServer(code, chunk.fileName, Boolean(outputOptions.sourcemap))
    },

    generateBundle(_, bundle) {
      const environment = this.environment
      if (!environment) return // plain Rollup: compile only
      if (environment.config.consumer === 'client') {
        const candidates = state.catalog.ofEnvironment(environment.name).filter((fn) => fn.kind === 'module')
        const code = Object.values(bundle).map((output) => (output.type === 'chunk' ? output.code : '')).join('\n')
        const present = idsFoundIn(code, candidates.map((fn) => fn.id))
        const kept = candidates.filter((fn) => present.has(fn.id))
        state.clientReferences = { ids: kept.map((fn) => fn.id), modules: [...new Set(kept.map((fn) => fn.file))] }
        saveClientReferences(environment.config.cacheDir, environment.config.root, state.clientReferences)
        return
      }
      if (environment.name !== options.serverEnvironment) return

      const referenced = state.clientReferences && new Set(state.clientReferences.ids)
      const rows: Array<{ entry: CatalogEntry; chunk: string }> = []
      for (const [file, reference] of emitted) {
        const chunk = this.getFileName(reference)
        for (const entry of state.catalog.ofModule(environment.name, file)) {
          if (entry.kind === 'inline' || !referenced || referenced.has(entry.id)) rows.push({ entry, chunk })
        }
      }
      const table: RegistryRow[] = rows.map(({ entry, chunk }) => ({
        id: entry.id,
        exportName: entry.exportName,
        name: entry.displayName ?? entry.exportName,
        boundCount: entry.bound.length,
        chunk,
      }))
      for (const output of Object.values(bundle)) {
        // Only the registry's chunk holds the table's placeholder: the code of the others is never
        // asked for (Rolldown makes a chunk's code a string on demand).
        if (output.type !== 'chunk' || !output.moduleIds.includes(RESOLVED_REGISTRY)) continue
        const filled = fillRegistry(output.code, output.fileName, table)
        if (filled !== undefined) output.code = filled
      }
      this.emitFile({ type: 'asset', fileName: MANIFEST_FILE, source: JSON.stringify(createManifest(rows, environment.config.root), null, 2) + '\n' })
      if (state.embedded) {
        // The server and the runtime, bundled with the package: copied, not bundled again (see runtimePlugin).
        // Here, not earlier: Vite drops the assets of server builds before this hook (build.ssrEmitAssets).
        const copied = productionServerFiles().map(({ fileName, source }) => ({ fileName: `${PRODUCTION_SERVER_DIR}/${fileName}`, source }))
        for (const file of copied) this.emitFile({ type: 'asset', ...file })
        // What the last build left and this one will not write goes now, before anything is written. Assets
        // that plugins after this one emit are written again after it (as after Vite's emptyOutDir).
        if (environment.config.build.write && clearsOutDir(environment.config, environment.logger)) {
          const written = Object.values(bundle).flatMap((output) => (output.type === 'chunk' && output.sourcemapFileName ? [output.fileName, output.sourcemapFileName] : [output.fileName]))
          const { root, publicDir, cacheDir } = environment.config
          // Folders of the app's that may sit inside it (the client build in dist/client beside dist/index.js)
          const others = [resolve(root, state.config!.environments.client!.build.outDir), publicDir, cacheDir].filter(Boolean)
          removeStaleFiles(resolve(root, environment.config.build.outDir), [...written, MANIFEST_FILE, ...copied.map((file) => file.fileName)], others)
        }
      }
      const modules = new Set(rows.map((row) => row.entry.file)).size
      const inline = rows.filter((row) => row.entry.kind === 'inline').length
      environment.logger.info(`use-server: ${rows.length} function${rows.length === 1 ? '' : 's'} in ${modules} module${modules === 1 ? '' : 's'} (${inline} inline)`)
    },
  }

  /** Whether the server's output is cleared of what the build does not write: as Vite's emptyOutDir decides for an outDir. */
  function clearsOutDir(config: ResolvedConfig, logger: { warn(message: string): void }): boolean {
    const outDir = resolve(config.root, config.build.outDir)
    if (state.emptyServerOutDir !== undefined) return state.emptyServerOutDir
    if (isWithin(outDir, config.root)) return true
    logger.warn(
      `use-server: serverOutDir (${outDir}) is not inside the project root, so files earlier builds left there are not removed. ` +
        `Set build.emptyOutDir (or environments.${options.serverEnvironment}.build.emptyOutDir) to true to remove them.`,
    )
    return false
  }

  /**
   * In watch mode, a client rebuild that keeps other functions (a 'use server' module newly imported, or one no
   * longer) builds the server again: the modules it newly needs are not in the server's graph, so no change of
   * theirs would. Edits of modules already in both graphs rebuild both on their own.
   */
  function rebuildOnNewReferences(client: BuildWatcher, server: BuildWatcher, build: () => Promise<unknown>) {
    let watching = server
    let restarted = Promise.resolve() // one after the other: two quick edits must not leave two watchers
    client.on('event', (event: { code: string }) => {
      if (event.code !== 'END' || sameReferences(state.clientReferences, builtWith)) return
      builtWith = state.clientReferences
      restarted = restarted.then(async () => {
        await watching.close()
        const output = await build()
        if (isWatcher(output)) watching = output
      })
    })
  }

  function emitModuleChunk(context: ChunkEmitter, file: string) {
    if (!emitted.has(file)) emitted.set(file, context.emitFile({ type: 'chunk', id: file, preserveSignature: 'exports-only' }))
  }
}

/** The server environment's configured entries (`build.rollupOptions.input`, or `--ssr <entry>`). */
function serverEntryInputs(config: ResolvedConfig, name: string): string[] {
  const build = config.environments[name]?.build
  const input = build?.rollupOptions?.input ?? (typeof build?.ssr === 'string' ? build.ssr : undefined)
  if (!input) return []
  return typeof input === 'string' ? [input] : Array.isArray(input) ? input : Object.values(input)
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
