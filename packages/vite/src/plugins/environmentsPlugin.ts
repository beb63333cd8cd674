import { resolve } from 'node:path'
import type { EnvironmentOptions, Plugin } from 'vite'
import { packagesWithServerFunctions } from '../serverPackages.js'

// Bundled into server builds, so dist/server runs with the app's own dependencies alone.
const BUNDLED_PACKAGES = ['@use-server/runtime', '@use-server/vite', 'devalue']

/** Server environments compile packages that ship server functions, and bundle the runtime in builds. */
export function environmentsPlugin(): Plugin {
  let root = process.cwd()
  let serverPackages: string[] | undefined
  return {
    name: 'use-server:environments',
    config(userConfig) {
      root = resolve(userConfig.root ?? '.')
    },
    configEnvironment(name, config, env) {
      const consumer = config.consumer ?? (name === 'client' ? 'client' : 'server')
      if (consumer !== 'server') return
      const noExternal = config.resolve?.noExternal
      if (noExternal === true) return
      serverPackages ??= packagesWithServerFunctions(root)
      const additions = [...serverPackages, ...(env.command === 'build' ? BUNDLED_PACKAGES : [])]
      if (additions.length === 0) return
      const list = noExternal === undefined ? [] : Array.isArray(noExternal) ? noExternal : [noExternal]
      return { resolve: { noExternal: [...list, ...additions] } } satisfies EnvironmentOptions
    },
  }
}
