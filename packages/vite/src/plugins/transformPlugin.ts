import { readFileSync } from 'node:fs'
import { SERVER_DIRECTIVE_FILTER, type TransformTarget, type TransformWarning } from '@use-server/transform'
import type { Plugin } from 'vite'
import { compileModule } from '../compileModule.js'
import { isTransformError } from '../dev/compileErrors.js'
import { compilableFile } from '../moduleId.js'
import type { PluginState } from '../state.js'

/**
 * Compiles modules per environment: client consumers get stubs, server consumers registrations
 * (and hoisted inline functions). Reports every function found to the catalog.
 */
export function transformPlugin(state: PluginState): Plugin {
  // Client output per file in development, to tell an edit of a function body (stubs unchanged:
  // no browser update at all) from a change of exports (stubs change: normal HMR).
  const clientOutputs = new Map<string, string>()

  const compile = (code: string, file: string, target: TransformTarget) => compileModule(state, code, file, target)
  // A module compiled for several environments says the same thing in each: warn once per content.
  const warned = new Map<string, { code: string; seen: Set<string> }>()
  const warnOnce = (file: string, code: string, warn: (warning: TransformWarning) => void) => (warning: TransformWarning) => {
    let entry = warned.get(file)
    if (entry?.code !== code) warned.set(file, (entry = { code, seen: new Set() }))
    const key = `${warning.code}:${warning.loc.line}:${warning.loc.column}`
    if (entry.seen.has(key)) return
    entry.seen.add(key)
    warn(warning)
  }

  // A compile that began before the file was saved again ends with the old text: its error is not
  // the module's any more (reported now, it would outlive the fix that already came in).
  function isOutdated(file: string, code: string, target: TransformTarget): boolean {
    let current: string
    try {
      current = readFileSync(file, 'utf8')
    } catch {
      return false
    }
    if (current === code) return false
    try {
      compile(current, file, target)
      return true
    } catch {
      return false
    }
  }

  return {
    name: 'use-server:transform',
    enforce: 'pre',
    sharedDuringBuild: true,

    buildStart() {
      if (!state.config && !state.options.target) {
        this.error("use-server: outside Vite there are no environments to tell client from server code: pass `target: 'client'` or `target: 'server'` to useServer().")
      }
    },

    transform: {
      // Tested by the bundler before calling into JS: the transform's own superset of what it handles.
      filter: { code: SERVER_DIRECTIVE_FILTER },
      handler(code, id) {
        const file = compilableFile(id)
        if (!file) return null
        const environment = this.environment
        const target: TransformTarget = state.options.target ?? (environment?.config.consumer === 'client' ? 'client' : 'server')
        let result
        try {
          const warn = warnOnce(file, code, (warning) => this.warn(asLog(warning, file, environment?.mode === 'build' ? ('rolldownVersion' in this.meta ? 'rolldown' : 'rollup') : null)))
          // A build that writes no source maps gets none (the dev server's module runner always needs them)
          result = compileModule(state, code, file, target, warn, !(environment?.mode === 'build' && !environment.config.build.sourcemap))
        } catch (error) {
          if (!isTransformError(error)) throw error
          // The module's text is on disk; attached to the error (as Vite would), it would be printed whole with it.
          Object.defineProperty(error, 'pluginCode', { value: code, enumerable: false })
          Object.assign(error, { plugin: 'use-server', id: file })
          if (target === 'client') clientOutputs.delete(file) // once fixed, the browser must get the module again
          if (state.compileErrors && !isOutdated(file, code, target)) {
            state.compileErrors.report(error, target, { blocksPages: target === 'server' })
            if (target === 'server') state.scanner?.compiledByEnvironment(file, code, null)
          }
          throw error
        }
        if (target === 'server') state.scanner?.compiledByEnvironment(file, code, result?.functions ?? [])
        state.compileErrors?.resolved(file, target)
        if (target === 'client' && environment?.mode === 'dev') state.compileErrors?.loadedByBrowser(file)
        // (no functions left, as when the directive is gone: a call must not reach the module's exports)
        state.catalog.update(environment?.name ?? target, file, result?.functions ?? [], target === 'server')
        if (!result) return null
        if (target === 'server' && environment?.mode === 'build') state.onServerModule?.(this, file, result.functions)
        if (target === 'client' && environment?.mode === 'dev') clientOutputs.set(file, result.code)
        return { code: result.code, map: result.map }
      },
    },

    hotUpdate: {
      async handler({ file, modules, read }) {
        if (this.environment.config.consumer !== 'client') return
        const previous = clientOutputs.get(file)
        if (previous === undefined) return
        let next: string | undefined
        try {
          next = compile(await read(), file, 'client')?.code
        } catch {
          clientOutputs.delete(file)
          return // the module's own transform reports the error
        }
        if (next !== previous) return
        return modules.filter((module) => module.id === null || compilableFile(module.id) !== file)
      },
    },
  }
}

/**
 * A transform warning as a bundler log. Vite's dev server prints a log's file, line and code frame;
 * its builds print the message alone (after the file and line, with Rollup), so there they go into the message.
 */
function asLog(warning: TransformWarning, file: string, viteBuild: 'rolldown' | 'rollup' | null) {
  const { loc, frame } = warning
  const where = viteBuild === 'rolldown' ? `\n${loc.file}:${loc.line}:${loc.column + 1}` : ''
  const message = viteBuild ? `${warning.message}${where}\n${frame}` : warning.message
  return { ...warning, message, id: file }
}
