import type MagicString from 'magic-string'
import { uniqueIdentifier } from '../codegen/uniqueIdentifier.js'
import type { ServerFunctionInfo } from '../types.js'
import { checkBoundValuesExist } from './checkBoundValuesExist.js'
import { positionAt } from '../errors/positionAt.js'
import { transformErrorAt } from '../errors/TransformError.js'
import { checkInlineFunction, serverFunctionLabel } from './checkInlineFunction.js'
import { collectCaptures, type Captures } from './collectCaptures.js'
import { hoistInlineFunctions, type HoistPlan, type Site } from './hoistInlineFunctions.js'
import { boundText, CoveringValues, type BoundValue } from './narrowMemberCaptures.js'
import { isWithin, resolve, type Binding, type InlineFunction, type Reference } from './scopes.js'

export interface InlineContext {
  s: MagicString
  code: string
  id: string
  /** The id of the server function exported as `exportName`. */
  idOf: (exportName: string) => string
  /** Local name of the imported `registerServerReference`. */
  register: string
  /** Local name of `bindServerReferenceLazily`, imported on first use. */
  bindLazily: () => string
  /** Where statements that must run first at module level go (see `afterPrologue`). */
  moduleStart: { at: number; lineStart: boolean }
}

/**
 * Server target: checks every inline server function, works out what each captures, names it, and
 * hoists it to a module export registered under its id. Returns their metadata in source order.
 */
export function compileInlineFunctions(functions: readonly InlineFunction[], ctx: InlineContext): ServerFunctionInfo[] {
  const { code, id } = ctx
  for (const fn of functions) checkInlineFunction(fn, code, id)
  const captures = collectCaptures(functions, code, id)
  // Stable names: derived from the functions around it and its own, not from a counter, so an edit
  // elsewhere in the module does not change the id (a page rendered before a deploy keeps working).
  // Every generated name starts with `$$`: in a module that has none, no generated name can clash
  // with its text, and the search through it for each name can be skipped.
  const text = code.includes('$$') ? code : ''
  const exportNames = new Map<InlineFunction, string>()
  const ids = new Map<InlineFunction, string>()
  const hoisted = new Set<string>()
  const suffixes = new Map<string, number>()
  for (const fn of functions) {
    const name = uniqueIdentifier(text, `$$server_${[...fn.enclosingNames, fn.displayName].map(toIdentifierPart).join('_')}`, hoisted, suffixes)
    exportNames.set(fn, name)
    ids.set(fn, ctx.idOf(name))
    hoisted.add(name)
  }

  // Parameters are named per function, never like a hoisted function (nested sites and aliases name those).
  // A variable the body names keeps its name, so the body needs no edit, unless the body declares that
  // name too (read by a parameter's default value, it is the one outside); the rest get fresh names.
  const paramNames = new Map<InlineFunction, Map<BoundValue, string>>()
  for (const fn of functions) {
    const { bound, aliases, named } = captures.get(fn)!
    const used = new Set([ctx.register, ...aliases.map((a) => a.name)])
    const taken = { has: (name: string) => used.has(name) || hoisted.has(name) }
    const freshParam = (base: string) => {
      const name = uniqueIdentifier(text, base, taken)
      used.add(name)
      return name
    }
    const params = new Map<BoundValue, string>()
    for (const value of [...bound].sort((a, b) => Number(named.has(b.binding)) - Number(named.has(a.binding)))) {
      const { name } = value.binding
      if (value.path.length > 0) params.set(value, freshParam(`$$${[name, ...value.path.map((m) => m.name)].join('_')}`))
      else if (named.has(value.binding) ? !fn.bodyScope.bindings?.has(name) : !fn.scope.bindings?.has(name) && !fn.bodyScope.bindings?.has(name) && !taken.has(name)) {
        params.set(value, name)
      }
      else params.set(value, freshParam(`$$${name}`))
      used.add(params.get(value)!)
    }
    paramNames.set(fn, params)
  }

  /** `value` as code that runs inside `within` (or at module level): through `within`'s parameters when it binds it. */
  const coveringIn = new Map<InlineFunction, CoveringValues>()
  const valueIn = (within: InlineFunction | null, binding: Binding, path: BoundValue['path']): string => {
    if (!within || isWithin(binding.scope, within)) return boundText(binding, path)
    let values = coveringIn.get(within)
    if (!values) coveringIn.set(within, (values = new CoveringValues(captures.get(within)!.bound)))
    const covering = values.of(binding, path)!
    return paramNames.get(within)!.get(covering)! + boundText(binding, path.slice(covering.path.length)).slice(binding.name.length)
  }
  // The 4th argument tells the registry how many leading parameters only a bound-values token may
  // fill, so a caller cannot pass its own values in place of the captured ones.
  const registered = (fn: InlineFunction, count: number) =>
    `${ctx.register}(${exportNames.get(fn)}, ${JSON.stringify(ids.get(fn))}, ${JSON.stringify(fn.displayName)}${count > 0 ? `, ${count}` : ''})`
  const boundIn = (within: InlineFunction | null, fn: InlineFunction) => captures.get(fn)!.bound.map((v) => valueIn(within, v.binding, v.path))
  const referenceIn = (within: InlineFunction | null, fn: InlineFunction) => {
    const args = boundIn(within, fn)
    return args.length > 0 ? `${registered(fn, args.length)}.bind(null, ${args.join(', ')})` : registered(fn, 0)
  }

  const siteOf = (fn: InlineFunction): Site => {
    const { node, outerScope: scope } = fn
    if (node.type !== 'FunctionDeclaration' || !node.id) {
      checkBoundValuesExist(fn, captures.get(fn)!.bound, node.start!, code, id)
      return { kind: 'inPlace', reference: referenceIn(fn.parent, fn) }
    }
    // A declaration is usable from the top of its scope: so is its reference. Values it binds are read
    // when it is called or sent (they may not exist yet up there), as the function read them.
    const local = node.id.name
    const args = boundIn(fn.parent, fn)
    const read = `() => [${args.join(', ')}]`
    if (scope.statementsStart !== null) {
      const value = args.length > 0 ? `${ctx.bindLazily()}(${registered(fn, args.length)}, ${read})` : registered(fn, 0)
      const exported = fn.exportStatement !== null && scope.kind !== 'module' // in a TS namespace
      // At the top of a function a declaration may share its name with a parameter or a `var`, as a `var` may
      const binding = resolve(scope, local) // none at module level, where names are not recorded
      if (binding?.redeclaredAt !== undefined) throw declaredTwice(fn, binding.redeclaredAt, code, id)
      const shared = scope.kind === 'function' && !!binding && (binding.kind !== 'function' || binding.reassigned || !!scope.parameterScope?.bindings?.has(local))
      return { kind: 'declaration', local, binding: `${exported ? 'export ' : ''}${shared ? 'var' : 'const'} ${local} = ${value};`, at: scope.statementsStart }
    }
    // Between the cases of a switch no statement runs first: a function declaration keeps the name
    // (hoisted as the original was) and forwards its calls; the first case test makes it the reference.
    const call = `${exportNames.get(fn)}(${[...args, '...arguments'].join(', ')})`
    const forward = node.generator ? `async function* ${local}() { return yield* ${call} }` : `async function ${local}() { return ${call} }`
    const mark = `${ctx.bindLazily()}(${registered(fn, args.length)}, ${read}, ${local})`
    return { kind: 'switchCase', forward, mark, test: scope.firstCaseTest! }
  }

  const plans: HoistPlan[] = functions.map((fn) => {
    const { bound, aliases, reads }: Captures = captures.get(fn)!
    const params = paramNames.get(fn)!
    return {
      fn,
      exportName: exportNames.get(fn)!,
      site: siteOf(fn),
      params: bound.map((v) => params.get(v)!),
      prelude: aliases.flatMap((a) => (a.inBody ? [`const ${a.name} = ${referenceIn(fn, a.target)};`] : [])).join(' '),
      replacements: [
        // in default values of parameters, before the body (and its prelude) exists: the reference itself
        ...aliases.flatMap((a) => a.inParameters.map((reference) => replace(reference, [], `(${referenceIn(fn, a.target)})`))),
        ...reads.filter(({ value }) => params.get(value) !== boundText(value.binding, value.path)).map(({ reference, value }) => replace(reference, value.path, params.get(value)!)),
      ],
    }
  })
  hoistInlineFunctions(ctx.s, code, plans, ctx.moduleStart)

  return plans.map(({ fn, exportName }) => ({
    id: ids.get(fn)!,
    exportName,
    kind: 'inline',
    displayName: fn.displayName,
    bound: captures.get(fn)!.bound.map((v) => boundText(v.binding, v.path)),
    loc: { line: fn.node.loc!.start.line, column: fn.node.loc!.start.column },
  }))
}

/** `reference` (with the first `members` of its chain) written as `text`; a shorthand property keeps its key. */
function replace(reference: Reference, members: readonly unknown[], text: string) {
  if (members.length > 0) return { start: reference.start, end: reference.path[members.length - 1]!.end, text }
  return { start: reference.start, end: reference.start + reference.name.length, text: reference.shorthand ? `${reference.name}: ${text}` : text }
}

const ASCII_IDENTIFIER_PART = /^[\w$]*$/

/** A display name as part of an identifier: `my-action` → `my_action` (most are ASCII already: no Unicode pass). */
function toIdentifierPart(name: string): string {
  return ASCII_IDENTIFIER_PART.test(name) ? name : name.replace(/[^\p{ID_Continue}$]/gu, '_')
}

/**
 * Two function declarations of one name in one scope: JavaScript keeps the last from the start of the
 * scope, so one of them is never reachable by its name. Which one the author meant cannot be told.
 */
function declaredTwice(fn: InlineFunction, other: number, code: string, id: string) {
  const { line } = positionAt(code, other)
  const name = (fn.node as { id: { name: string } }).id.name
  return transformErrorAt(
    'INLINE_DECLARED_TWICE',
    `${serverFunctionLabel(fn)} shares its name with another function declared in the same scope (line ${line}). JavaScript keeps only the last of them, from the start of the scope, so one is never called by the name \`${name}\`. Rename one of them.`,
    code,
    id,
    fn.node.loc!.start,
  )
}
