import type { Binding } from './scopes.js'

/** One member read, without its end offset: `.name` or `?.name`. */
export interface Member {
  name: string
  optional: boolean
}

/** How a function uses a captured variable at one place. */
export interface CapturedUse {
  binding: Binding
  /** Non-computed members read from it; empty when the function needs the variable itself. */
  path: readonly Member[]
  /** The chain goes on after `path`, so a `?.` in `path` may short-circuit more than `path`. */
  continues: boolean
  /** Offset of the use, to order bound values as they appear. */
  at: number
}

/** A value the site binds to the hoisted function: a captured variable, or a member path read from it. */
export interface BoundValue {
  binding: Binding
  path: readonly Member[]
  at: number
}

/** `post`, `post.id`, `post?.author.name`: the bound value as the source writes it. */
export function boundText(binding: Binding, path: readonly Member[]): string {
  let text = binding.name
  for (const m of path) text += (m.optional ? '?.' : '.') + m.name
  return text
}

/**
 * The values to bind for a set of uses, in order of first use. A variable used only through
 * non-computed member reads binds those members (the shortest paths that cover every read), so the
 * reference carries `post.id` instead of the whole `post`; any other use binds the variable itself.
 * Optional chains narrow only when cutting them there cannot change what they evaluate to.
 */
export function narrowMemberCaptures(uses: readonly CapturedUse[]): BoundValue[] {
  const byBinding = new Map<Binding, CapturedUse[]>()
  for (const use of uses) {
    const list = byBinding.get(use.binding)
    if (list) list.push(use)
    else byBinding.set(use.binding, [use])
  }
  const values: BoundValue[] = []
  for (const [binding, list] of byBinding) for (const value of narrowOne(binding, list)) values.push(value)
  return values.sort((a, b) => a.at - b.at || boundText(a.binding, a.path).localeCompare(boundText(b.binding, b.path)))
}

function narrowOne(binding: Binding, uses: CapturedUse[]): BoundValue[] {
  let first = uses[0]!.at
  let bare = false
  for (const use of uses) {
    if (use.at < first) first = use.at
    if (use.path.length === 0) bare = true
  }
  const whole = [{ binding, path: [], at: first }]
  if (bare) return whole

  // Shortest paths first, so a kept path never begins with another: at most one covers a use
  const kept = new Covers<{ path: readonly Member[]; at: number }>()
  for (const use of [...uses].sort((a, b) => a.path.length - b.path.length)) {
    const cover = kept.of(use.path)
    if (!cover) {
      kept.add({ path: use.path, at: use.at })
      continue
    }
    cover.at = Math.min(cover.at, use.at)
    // `post?.a` and `post.a`: one binding cannot stand for both (only one of them throws on a null post)
    if (cover.path.some((m, i) => m.optional !== use.path[i]!.optional)) return whole
  }
  for (const use of uses) {
    const cover = kept.of(use.path)!
    // `post?.a.b` cut at `post?.a`: the rest would no longer be short-circuited with it
    if (cover.path.some((m) => m.optional) && (use.path.length > cover.path.length || use.continues)) return whole
  }
  return kept.entries.map(({ path, at }) => ({ binding, path, at }))
}

/** Up to this many paths are searched in turn; past it, by the prefixes of the path looked for. */
const SEARCHED = 8

/**
 * Paths of which none begins another, and the one that begins a given path, if any. A search through
 * every path would make thousands of them quadratic; a lookup costs more than a search of a few.
 */
class Covers<T extends { path: readonly Member[] }> {
  readonly entries: T[] = []
  private byKey: Map<string, T> | null = null

  add(entry: T): void {
    this.entries.push(entry)
    if (this.byKey) this.byKey.set(pathKey(entry.path), entry)
    else if (this.entries.length > SEARCHED) this.byKey = new Map(this.entries.map((e) => [pathKey(e.path), e]))
  }

  of(path: readonly Member[]): T | undefined {
    if (!this.byKey) {
      for (const entry of this.entries) if (startsWith(path, entry.path)) return entry
      return undefined
    }
    let key = ''
    let entry = this.byKey.get(key)
    for (let i = 0; !entry && i < path.length; i++) entry = this.byKey.get((key += `.${path[i]!.name}`))
    return entry
  }
}

/** Member names as one text, `.author.name` (a name holds no dot). */
function pathKey(path: readonly Member[]): string {
  let key = ''
  for (const member of path) key += `.${member.name}`
  return key
}

/**
 * Which of a function's bound values a use reads through: the variable itself, or the member path
 * that begins the use's path (`?.` aside). The values of one variable never begin one another (see
 * `narrowOne`), so at most one covers a use.
 */
export class CoveringValues {
  private byBinding: Map<Binding, Covers<BoundValue>> | null = null

  constructor(private readonly values: readonly BoundValue[]) {}

  of(binding: Binding, path: readonly Member[]): BoundValue | undefined {
    if (this.values.length <= SEARCHED) return this.values.find((v) => v.binding === binding && startsWith(path, v.path))
    if (!this.byBinding) {
      this.byBinding = new Map()
      for (const value of this.values) {
        let covers = this.byBinding.get(value.binding)
        if (!covers) this.byBinding.set(value.binding, (covers = new Covers()))
        covers.add(value)
      }
    }
    return this.byBinding.get(binding)?.of(path)
  }
}

/** True when `path` begins with the members of `prefix` (by name; `?.` is compared by the caller). */
function startsWith(path: readonly Member[], prefix: readonly Member[]): boolean {
  if (prefix.length > path.length) return false
  for (let i = 0; i < prefix.length; i++) if (prefix[i]!.name !== path[i]!.name) return false
  return true
}
