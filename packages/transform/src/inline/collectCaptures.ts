import { serverFunctionLabel } from './checkInlineFunction.js'
import { positionAt } from '../errors/positionAt.js'
import { transformErrorAt } from '../errors/TransformError.js'
import { CoveringValues, narrowMemberCaptures, type BoundValue, type CapturedUse } from './narrowMemberCaptures.js'
import { isWithin, resolve, type Binding, type InlineFunction, type Reference } from './scopes.js'

/** An inline function that another refers to by name, rebuilt inside the hoisted code of the other. */
export interface Alias {
  name: string
  target: InlineFunction
  /** First place the name is used. */
  at: number
  /** Uses in parameters (default values), which a statement opening the body would come too late for. */
  inParameters: Reference[]
  /** Used in the body: a statement opening it rebuilds the reference. */
  inBody: boolean
}

export interface Captures {
  /** The values the site binds, in order; the hoisted function takes them as its first parameters. */
  bound: BoundValue[]
  /** Inline functions (itself included) that its code calls by name. */
  aliases: Alias[]
  /** Captured variables its own code names directly (the rest reach it through nested or aliased functions). */
  named: Set<Binding>
  /** Direct reads, with the bound value each one becomes. */
  reads: Array<{ reference: Reference; value: BoundValue }>
}

/**
 * What each inline function captures: the variables of enclosing functions and blocks it reads
 * (module-level names and globals are never captured), narrowed to member paths where it only
 * reads members. A nested inline function's captures count as reads of the one around it, since
 * its site runs there; so do the captures of an inline function called by name, because its
 * reference is rebuilt from them instead of being bound (which lets functions refer to themselves
 * and to each other without a temporal-dead-zone cycle). Throws on assignment to a captured variable.
 */
export function collectCaptures(functions: readonly InlineFunction[], code: string, id: string): Map<InlineFunction, Captures> {
  const direct = new Map<InlineFunction, CapturedUse[]>()
  const directReads = new Map<InlineFunction, Array<{ reference: Reference; binding: Binding }>>()
  const result = new Map<InlineFunction, Captures>()
  for (const fn of functions) {
    const uses: CapturedUse[] = []
    const reads: Array<{ reference: Reference; binding: Binding }> = []
    const captures: Captures = { bound: [], aliases: [], named: new Set(), reads: [] }
    const parameters = { start: fn.node.params[0]?.start ?? 0, end: fn.node.params.at(-1)?.end ?? 0 }
    const alias = (name: string, target: InlineFunction, reference: Reference) => {
      let entry = captures.aliases.find((a) => a.name === name)
      if (!entry) captures.aliases.push((entry = { name, target, at: reference.start, inParameters: [], inBody: false }))
      if (reference.start >= parameters.start && reference.start < parameters.end) entry.inParameters.push(reference)
      else entry.inBody = true
    }
    for (const reference of fn.references) {
      const binding = resolve(reference.scope, reference.name)
      if (!binding) continue
      if (isWithin(binding.scope, fn)) {
        if (binding.kind === 'functionName' && binding.scope === fn.scope) {
          if (reference.write) throw assignsOwnName(fn, reference, code, id)
          alias(binding.name, fn, reference)
        }
        continue
      }
      if (reference.write) throw assignsCaptured(fn, reference, code, id)
      if (binding.inlineFunction && !binding.reassigned) {
        alias(binding.name, binding.inlineFunction, reference)
        continue
      }
      uses.push({ binding, path: reference.path, continues: reference.continues, at: reference.start })
      reads.push({ reference, binding })
      captures.named.add(binding)
    }
    direct.set(fn, uses)
    directReads.set(fn, reads)
    result.set(fn, captures)
  }

  const children = new Map<InlineFunction, InlineFunction[]>()
  for (const fn of functions) {
    if (!fn.parent) continue
    const list = children.get(fn.parent)
    if (list) list.push(fn)
    else children.set(fn.parent, [fn])
  }

  // Captures flow outward from nested functions (so inner ones go first: one pass settles those)
  // and across aliases, in cycles too: with aliases, repeat until stable.
  const innermostFirst = [...functions].reverse()
  const repeat = functions.some((fn) => result.get(fn)!.aliases.length > 0)
  for (let changed = true; changed; ) {
    changed = false
    for (const fn of innermostFirst) {
      const captures = result.get(fn)!
      const uses = [...direct.get(fn)!]
      const inherit = (values: readonly BoundValue[], at?: number) => {
        for (const v of values) if (!isWithin(v.binding.scope, fn)) uses.push({ binding: v.binding, path: v.path, continues: false, at: at ?? v.at })
      }
      for (const child of children.get(fn) ?? []) inherit(result.get(child)!.bound)
      for (const { target, at } of captures.aliases) if (target !== fn) inherit(result.get(target)!.bound, at)
      const bound = narrowMemberCaptures(uses)
      if (!sameValues(bound, captures.bound)) {
        captures.bound = bound
        changed = repeat
      }
    }
  }

  for (const fn of functions) {
    const captures = result.get(fn)!
    const covering = new CoveringValues(captures.bound)
    for (const { reference, binding } of directReads.get(fn)!) {
      captures.reads.push({ reference, value: covering.of(binding, reference.path)! })
    }
  }
  return result
}

/** The same variables and member paths, in the same order. */
function sameValues(a: readonly BoundValue[], b: readonly BoundValue[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x.binding !== y.binding || x.path.length !== y.path.length) return false
    for (let m = 0; m < x.path.length; m++) if (x.path[m]!.name !== y.path[m]!.name || x.path[m]!.optional !== y.path[m]!.optional) return false
  }
  return true
}

function assignsCaptured(fn: InlineFunction, reference: Reference, code: string, id: string) {
  return transformErrorAt(
    'INLINE_ASSIGNS_CAPTURED',
    `${serverFunctionLabel(fn)} assigns to "${reference.name}", a variable of the code around it. Captured values are copies, bound when the function is created and sent along with each call: the assignment would change the server's copy only, never this variable. Return the new value instead, or keep the state somewhere both can reach (a database, a cookie).`,
    code,
    id,
    positionAt(code, reference.start),
  )
}

function assignsOwnName(fn: InlineFunction, reference: Reference, code: string, id: string) {
  return transformErrorAt(
    'INLINE_ASSIGNS_CAPTURED',
    `${serverFunctionLabel(fn)} assigns to "${reference.name}", its own name, which is a constant inside a function expression (in a module the assignment throws). Use a variable of another name.`,
    code,
    id,
    positionAt(code, reference.start),
  )
}
