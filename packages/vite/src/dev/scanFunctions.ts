import { readFile, realpath } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { SERVER_DIRECTIVE_FILTER, type ServerFunctionInfo } from '@use-server/transform'
import type { ViteDevServer } from 'vite'
import { compileModule } from '../compileModule.js'
import { packagesWithServerFunctions } from '../serverPackages.js'
import type { PluginState } from '../state.js'
import { isTransformError, type CompileErrors } from './compileErrors.js'
import { sourceFiles } from './sourceFiles.js'

/** The catalog's name for what the dev server found by reading files itself. */
export const SCAN = 'scan'

const AFTER_VITE_UPDATE_MS = 50
const SOURCE = /\.[cm]?[jt]sx?$/

/**
 * Knows every server function of the app from the start, before any page or call loads a module:
 * reads the app's source files (and those of packages that ship server functions), compiles for the
 * server each one whose text may hold the directive, and keeps that up to date as files change.
 * What it finds fills the catalog (the inspector lists it, the dev resolver can call it), and a module
 * that fails to compile is reported like any compile error.
 */
export class FunctionScanner {
  private readonly pending = new Map<string, Promise<void>>()
  /** The text each module last compiled for the server from, by an environment or by the scanner. */
  private readonly compiledText = new Map<string, string>()

  constructor(
    private readonly state: PluginState,
    private readonly server: ViteDevServer,
    private readonly errors: CompileErrors,
  ) {}

  /** Scans the app once; afterwards, follows the dev server's file watcher. */
  async start(): Promise<void> {
    const { root, cacheDir, build } = this.server.config
    const files = await sourceFiles(root, { skip: [cacheDir, build.outDir, this.state.options.serverOutDir], followSymlinks: false })
    for (const name of packagesWithServerFunctions(root)) {
      const directory = await packageDirectory(root, name)
      if (directory) files.push(...(await sourceFiles(directory)))
    }
    await Promise.all(files.map((file) => this.check(file)))
    const watcher = this.server.watcher
    // After Vite's own update: a module the server environment runs is compiled again by its module
    // runner, which leaves the scanner nothing to do (see `compiledByEnvironment`).
    const later = (file: string) => void setTimeout(() => void this.check(file), AFTER_VITE_UPDATE_MS)
    watcher.on('add', later)
    watcher.on('change', later)
    watcher.on('unlink', (file) => {
      this.compiledText.delete(file) // the same text saved again is a module again
      this.state.catalog.forgetModule(file)
      this.errors.resolved(file, 'server')
    })
  }

  /** A server environment compiled `file` from `code` (its functions, or null when it failed): no need to again. */
  compiledByEnvironment(file: string, code: string, functions: readonly ServerFunctionInfo[] | null): void {
    this.compiledText.set(file, code)
    if (functions) this.state.catalog.update(SCAN, file, functions, true)
  }

  /** Compiles `file` for the server again (one at a time per file, the newest text last). */
  check(file: string): Promise<void> {
    if (!SOURCE.test(file) || !this.state.compiles(file)) return Promise.resolve()
    const previous = this.pending.get(file) ?? Promise.resolve()
    const next = previous.then(() => this.compile(file))
    this.pending.set(file, next)
    void next.finally(() => {
      if (this.pending.get(file) === next) this.pending.delete(file)
    })
    return next
  }

  private async compile(file: string): Promise<void> {
    let code: string
    try {
      code = await readFile(file, 'utf8')
    } catch {
      return // deleted meanwhile: `unlink` follows
    }
    const before = this.compiledText.get(file)
    if (before === code) return
    this.compiledText.set(file, code)
    if (!SERVER_DIRECTIVE_FILTER.test(code)) {
      // No environment's transform sees this text (their filter): what they found in the one before goes too.
      if (before === undefined) this.state.catalog.update(SCAN, file, [], true)
      else this.state.catalog.forgetModule(file)
      this.errors.resolved(file, 'server')
      return
    }
    try {
      const result = compileModule(this.state, code, file, 'server')
      this.state.catalog.update(SCAN, file, result?.functions ?? [], true)
      this.errors.resolved(file, 'server')
    } catch (error) {
      this.state.catalog.update(SCAN, file, [], true)
      if (!isTransformError(error)) {
        // a fault of the compiler, not of the module: said, and the dev server goes on
        this.server.config.logger.error(`[use-server] could not compile ${file} for the server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
        return
      }
      this.errors.report(error, 'server', { announce: this.isLoaded(file, 'any'), blocksPages: this.isLoaded(file, 'server') })
    }
  }

  private isLoaded(file: string, where: 'any' | 'server'): boolean {
    const names = where === 'server' ? [this.state.options.serverEnvironment] : Object.keys(this.server.environments)
    return names.some((name) => (this.server.environments[name]?.moduleGraph.getModulesByFile(file)?.size ?? 0) > 0)
  }
}

async function packageDirectory(root: string, name: string): Promise<string | null> {
  for (let dir = root; ; dir = dirname(dir)) {
    try {
      // the real path: Vite compiles a package's modules under it (pnpm links them from elsewhere)
      return await realpath(join(dir, 'node_modules', name))
    } catch {
      if (dirname(dir) === dir) return null
    }
  }
}
