import type { Revalidation } from '../server/cache/cacheStore.js'

/** Names kept to invalidate once Redis is back: past either bound, everything is invalidated instead. */
const MAX_NAMES = 10_000
const MAX_NAME_CHARACTERS = 4_000_000
/** Revalidations kept to publish once Redis is back: past either bound, the oldest are dropped. */
const MAX_REVALIDATIONS = 1_000
const MAX_REVALIDATION_CHARACTERS = 4_000_000

/** What to send to Redis: names to invalidate (or all of them), then revalidations to publish. */
export interface Work {
  names: string[] | 'everything'
  revalidations: Revalidation[]
}

const sizeOf = ({ tags, paths, id }: Revalidation) => [...tags, ...paths].reduce((sum, name) => sum + name.length, id.length)

/**
 * What failed while Redis was unreachable, kept to send once it is back, within bounds (tags may be
 * a caller's input). Invalidations past the bound become one of everything: never a stale value, at
 * worst a cold cache. Publications past it lose the oldest: browsers connected elsewhere miss them.
 */
export class PendingWork {
  #names = new Set<string>()
  #nameCharacters = 0
  #everything = false
  #revalidations: Revalidation[] = []
  #revalidationCharacters = 0

  get empty(): boolean {
    return !this.#everything && this.#names.size === 0 && this.#revalidations.length === 0
  }

  /** Keeps names to invalidate; true when this made it more than it keeps (everything is then invalidated). */
  invalidate(names: Iterable<string>): boolean {
    if (this.#everything) return false
    for (const name of names) {
      if (this.#names.has(name)) continue
      this.#names.add(name)
      this.#nameCharacters += name.length
    }
    if (this.#names.size <= MAX_NAMES && this.#nameCharacters <= MAX_NAME_CHARACTERS) return false
    this.#everything = true
    this.#names.clear()
    this.#nameCharacters = 0
    return true
  }

  /** Keeps a revalidation to publish, the oldest out past the bounds. */
  publish(revalidation: Revalidation): void {
    this.#revalidations.push(revalidation)
    this.#revalidationCharacters += sizeOf(revalidation)
    while (this.#revalidations.length > MAX_REVALIDATIONS || this.#revalidationCharacters > MAX_REVALIDATION_CHARACTERS) {
      this.#revalidationCharacters -= sizeOf(this.#revalidations.shift()!)
    }
  }

  /** Everything kept, which is then no longer kept (`putBack` if sending it fails). */
  take(): Work {
    const work: Work = { names: this.#everything ? 'everything' : [...this.#names], revalidations: this.#revalidations }
    this.#names = new Set()
    this.#nameCharacters = 0
    this.#everything = false
    this.#revalidations = []
    this.#revalidationCharacters = 0
    return work
  }

  /** Keeps again what could not be sent, before what was kept meanwhile. */
  putBack(work: Work): void {
    const later = this.take()
    if (work.names === 'everything' || later.names === 'everything') this.#everything = true
    else this.invalidate([...work.names, ...later.names])
    for (const revalidation of [...work.revalidations, ...later.revalidations]) this.publish(revalidation)
  }
}
