import type { ServerFunctionInfo } from '@use-server/transform'

/** A server function found by a transform, with the module it lives in. */
export interface CatalogEntry extends ServerFunctionInfo {
  /** Absolute path of the module (no query). */
  file: string
  /** The environment whose transform reported it. */
  environment: string
  displayName?: string
}

/**
 * Every server function the transforms have reported, by id. Each transform of a module replaces
 * what that module reported before in that environment, so removed exports disappear. Entries
 * from server environments win over the client's: only they know inline functions' bound values.
 */
export class ServerFunctionCatalog {
  private readonly byId = new Map<string, Map<string, CatalogEntry>>()
  private readonly byModule = new Map<string, string[]>()
  private readonly listeners = new Set<() => void>()

  update(environment: string, file: string, functions: readonly ServerFunctionInfo[], isServer: boolean): void {
    const key = `${environment}\0${file}`
    for (const id of this.byModule.get(key) ?? []) {
      const entries = this.byId.get(id)
      entries?.delete(environment)
      if (entries?.size === 0) this.byId.delete(id)
    }
    this.byModule.set(
      key,
      functions.map((fn) => fn.id),
    )
    for (const fn of functions) {
      let entries = this.byId.get(fn.id)
      if (!entries) this.byId.set(fn.id, (entries = new Map()))
      const entry: CatalogEntry = { ...fn, file, environment }
      // Server environments first, so `get` finds them first.
      if (isServer) this.byId.set(fn.id, new Map([[environment, entry], ...entries]))
      else entries.set(environment, entry)
    }
    for (const listener of this.listeners) listener()
  }

  /** A deleted module: what every environment reported of it goes (a call to it is then a 404, not a failed load). */
  forgetModule(file: string): void {
    const suffix = `\0${file}`
    for (const key of this.byModule.keys()) {
      if (key.endsWith(suffix)) this.update(key.slice(0, -suffix.length), file, [], false)
    }
  }

  /** Called after every update (the dev inspector's live list). */
  onChange(listener: () => void): void {
    this.listeners.add(listener)
  }

  get(id: string): CatalogEntry | undefined {
    return this.byId.get(id)?.values().next().value
  }

  /** One entry per id. */
  all(): CatalogEntry[] {
    return [...this.byId.values()].map((entries) => entries.values().next().value!)
  }

  /** Every entry: one per id and environment that reported it. */
  entries(): CatalogEntry[] {
    return [...this.byId.values()].flatMap((entries) => [...entries.values()])
  }

  /** What one module reported in one environment. */
  ofModule(environment: string, file: string): CatalogEntry[] {
    return (this.byModule.get(`${environment}\0${file}`) ?? []).flatMap((id) => this.byId.get(id)?.get(environment) ?? [])
  }

  /** Entries reported by one environment. */
  ofEnvironment(environment: string): CatalogEntry[] {
    return [...this.byId.values()].flatMap((entries) => entries.get(environment) ?? [])
  }
}
