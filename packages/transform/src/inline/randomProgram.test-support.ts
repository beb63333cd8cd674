// Random modules for the scope oracle: nested functions and inline server functions among blocks,
// loops, catch clauses, classes, destructuring, labels and `var`, drawing from a handful of names
// so that shadowing is everywhere. The program is built from a stream of choices (fast-check
// shrinks the stream, and with it the program); a declaration that would be a redeclaration error
// gets a fresh name instead, so nearly every stream gives a valid module.

const NAMES = ['a', 'b', 'c', 'd', 'e']

interface Block {
  parent: Block | null
  /** let, const, class, and functions where they are lexical. */
  lexical: Set<string>
  /** `var`s declared here or in blocks below (they pass through this block on their way up). */
  hoisted: Set<string>
  /** Parameters of the function (or the catch clause) this block is the body of. */
  params: Set<string>
  /** Where `var` stops: a function body, a static block, the module. */
  varScope: boolean
  module: boolean
}

interface Context {
  block: Block
  /** Inside a function (a `return` may appear). */
  inFunction: boolean
  /** Labels around, in this function. */
  labels: string[]
  inLoop: boolean
  inSwitch: boolean
  depth: number
}

export class RandomProgram {
  private position = 0
  private fresh = 0
  private labelCount = 0
  readonly inlineFunctions = { count: 0 }

  constructor(private readonly choices: readonly number[]) {}

  /** 0 to n - 1; 0 once the choices run out, which leads to the smallest program. */
  private pick(n: number): number {
    return n <= 1 ? 0 : (this.choices[this.position++] ?? 0) % n
  }
  private chance(percent: number): boolean {
    return this.pick(100) >= 100 - percent
  }
  private oneOf<T>(items: readonly T[]): T {
    return items[this.pick(items.length)]!
  }

  module(): string {
    const block = newBlock(null, { varScope: true, module: true })
    const ctx: Context = { block, inFunction: false, labels: [], inLoop: false, inSwitch: false, depth: 0 }
    const lines = ['const a = 1', 'function b() {}']
    block.lexical.add('a').add('b')
    const count = 1 + this.pick(3)
    for (let i = 0; i < count; i++) lines.push(`export ${this.functionDeclaration(ctx, this.chance(30))}`)
    return lines.join('\n') + '\n'
  }

  // --- declarations -----------------------------------------------------------------------------

  private declareLexical(block: Block, wanted: string): string {
    const name = block.lexical.has(wanted) || block.hoisted.has(wanted) || block.params.has(wanted) ? this.freshName() : wanted
    block.lexical.add(name)
    return name
  }

  private declareVar(block: Block, wanted: string): string {
    let conflict = false
    for (let b: Block | null = block; b; b = b.parent) {
      if (b.lexical.has(wanted) || (b !== block && b.params.has(wanted) && !b.varScope)) conflict = true
      if (b.varScope) break
    }
    const name = conflict ? this.freshName() : wanted
    for (let b: Block | null = block; b; b = b.parent) {
      b.hoisted.add(name)
      if (b.varScope) break
    }
    return name
  }

  private freshName(): string {
    return `u${++this.fresh}`
  }

  /**
   * A binding pattern; `declare` records each name it binds and returns the name to use. A default
   * (`x = …`) only where one may stand: inside a pattern, or as a parameter.
   */
  private pattern(ctx: Context, declare: (wanted: string) => string, withDefault = false): string {
    const choice = ctx.depth > 3 ? 0 : this.pick(withDefault ? 5 : 3)
    const deeper = { ...ctx, depth: ctx.depth + 1 }
    switch (choice) {
      case 1:
        return `{ ${this.oneOf(['p', 'q'])}: ${this.pattern(deeper, declare, true)}${this.chance(30) ? `, ...${declare(this.oneOf(NAMES))}` : ''} }`
      case 2:
        return `[${this.pattern(deeper, declare, true)}, , ${this.pattern(deeper, declare, true)}]`
      case 3: {
        // the default is evaluated before the name exists: it may read names around it
        const value = this.expression(deeper)
        return `${declare(this.oneOf(NAMES))} = ${value}`
      }
      default:
        return declare(this.oneOf(NAMES))
    }
  }

  private params(ctx: Context, fnBlock: Block): string {
    const count = this.pick(3)
    const list: string[] = []
    const declareParam = (wanted: string) => {
      const name = fnBlock.params.has(wanted) ? this.freshName() : wanted
      fnBlock.params.add(name)
      return name
    }
    for (let i = 0; i < count; i++) list.push(this.pattern({ ...ctx, block: fnBlock }, declareParam, true))
    return list.join(', ')
  }

  // --- functions and classes --------------------------------------------------------------------

  /** A function body; `inline` makes it an async 'use server' function. */
  private functionBody(ctx: Context, fnBlock: Block, inline: boolean): string {
    const inner: Context = { block: fnBlock, inFunction: true, labels: [], inLoop: false, inSwitch: false, depth: ctx.depth + 1 }
    if (inline) this.inlineFunctions.count++
    return `{ ${inline ? "'use server'; " : ''}${this.statements(inner, 1 + this.pick(4))} }`
  }

  private functionDeclaration(ctx: Context, inline = this.chance(40)): string {
    const name = ctx.block.varScope && !ctx.block.module ? this.declareVar(ctx.block, this.oneOf(NAMES)) : this.declareLexical(ctx.block, this.oneOf(NAMES))
    const fnBlock = newBlock(ctx.block, { varScope: true })
    const params = this.params(ctx, fnBlock)
    return `${inline ? 'async ' : ''}function ${name}(${params}) ${this.functionBody(ctx, fnBlock, inline)}`
  }

  private functionExpression(ctx: Context): string {
    const inline = this.chance(50)
    const fnBlock = newBlock(ctx.block, { varScope: true })
    switch (this.pick(3)) {
      case 0: {
        const params = this.params(ctx, fnBlock)
        if (!inline && this.chance(40)) return `(${params}) => ${this.expression({ ...ctx, block: fnBlock, inFunction: true, depth: ctx.depth + 1 })}`
        return `${inline ? 'async ' : ''}(${params}) => ${this.functionBody(ctx, fnBlock, inline)}`
      }
      case 1: {
        // a named function expression: its name is bound inside it only
        const named = this.chance(50)
        const outer = newBlock(ctx.block, { varScope: false })
        const name = named ? this.declareLexical(outer, this.oneOf(NAMES)) : ''
        fnBlock.parent = outer
        const params = this.params(ctx, fnBlock)
        return `${inline ? 'async ' : ''}function ${name}(${params}) ${this.functionBody(ctx, fnBlock, inline)}`
      }
      default: {
        const key = this.chance(30) ? `[${this.expression({ ...ctx, depth: ctx.depth + 1 })}]` : this.oneOf(['m', 'n'])
        const params = this.params(ctx, fnBlock)
        const value = this.chance(50) ? `, ${this.oneOf(['p', 'q'])}: ${this.expression({ ...ctx, depth: ctx.depth + 1 })}` : ''
        return `({ ${inline ? 'async ' : ''}${key}(${params}) ${this.functionBody(ctx, fnBlock, inline)}${value} })`
      }
    }
  }

  /** `extends …`, evaluated where the class's own name exists but is not initialized yet. */
  private heritage(ctx: Context): string {
    return this.chance(25) ? ` extends (${this.expression(ctx)})` : ''
  }

  private classBody(ctx: Context, name: string | null): string {
    const classBlock = newBlock(ctx.block, { varScope: false })
    if (name) classBlock.lexical.add(name)
    const inner = { ...ctx, block: classBlock, depth: ctx.depth + 1 }
    const members: string[] = []
    const count = 1 + this.pick(3)
    for (let i = 0; i < count; i++) {
      switch (this.pick(3)) {
        case 0: {
          const fnBlock = newBlock(classBlock, { varScope: true })
          const params = this.params(inner, fnBlock)
          members.push(`static async ${this.oneOf(['m', 'n'])}(${params}) ${this.functionBody(inner, fnBlock, this.chance(60))}`)
          break
        }
        case 1: {
          const staticBlock = newBlock(classBlock, { varScope: true })
          members.push(`static { ${this.statements({ block: staticBlock, inFunction: false, labels: [], inLoop: false, inSwitch: false, depth: inner.depth }, 1 + this.pick(3))} }`)
          break
        }
        default:
          members.push(`static ${this.oneOf(['p', 'q'])} = ${this.expression(inner)};`)
      }
    }
    return `{ ${members.join(' ')} }`
  }

  // --- statements -------------------------------------------------------------------------------

  private statements(ctx: Context, count: number): string {
    const list: string[] = []
    for (let i = 0; i < count; i++) list.push(this.statement(ctx))
    return list.join(' ')
  }

  private block(ctx: Context, extra: Partial<Context> = {}, params: string[] = []): string {
    const block = newBlock(ctx.block, { varScope: false })
    for (const name of params) block.params.add(name)
    return `{ ${this.statements({ ...ctx, ...extra, block, depth: ctx.depth + 1 }, 1 + this.pick(3))} }`
  }

  private statement(ctx: Context): string {
    const deep = ctx.depth > 4
    const deeper = { ...ctx, depth: ctx.depth + 1 }
    switch (deep ? this.pick(3) : this.pick(16)) {
      case 0:
        return `${this.expression(ctx)};`
      case 1: {
        const kind = this.oneOf(['let', 'const', 'var'] as const)
        const declare = (wanted: string) => (kind === 'var' ? this.declareVar(ctx.block, wanted) : this.declareLexical(ctx.block, wanted))
        const value = this.expression(deeper)
        return `${kind} ${this.pattern(ctx, declare)} = ${value};`
      }
      case 2:
        return ctx.inFunction ? `return ${this.expression(ctx)};` : `${this.expression(ctx)};`
      case 3:
        return this.functionDeclaration(ctx)
      case 4:
        return `class ${this.declareLexical(ctx.block, this.oneOf(NAMES))}${this.heritage(deeper)} ${this.classBody(ctx, null)}`
      case 5:
        return this.block(ctx)
      case 6:
        return `if (${this.expression(deeper)}) ${this.block(ctx)} else ${this.block(ctx)}`
      case 7: {
        const loop = newBlock(ctx.block, { varScope: false })
        const kind = this.oneOf(['let', 'var'] as const)
        const name = kind === 'let' ? this.declareLexical(loop, this.oneOf(NAMES)) : this.declareVar(loop, this.oneOf(NAMES))
        return `for (${kind} ${name} = 0; ${name} < 2; ${name}++) ${this.block({ ...ctx, block: loop }, { inLoop: true })}`
      }
      case 8: {
        const loop = newBlock(ctx.block, { varScope: false })
        const right = this.expression(deeper)
        const form = this.pick(3)
        const left =
          form === 0 ? `const ${this.pattern({ ...ctx, block: loop }, (wanted) => this.declareLexical(loop, wanted))}`
          : form === 1 ? `var ${this.declareVar(loop, this.oneOf(NAMES))}`
          : this.oneOf(NAMES) // assigns a variable around it
        return `for (${left} ${this.oneOf(['of', 'in'])} ${right}) ${this.block({ ...ctx, block: loop }, { inLoop: true })}`
      }
      case 9:
        return `while (${this.expression(deeper)}) ${this.block(ctx, { inLoop: true })}`
      case 10: {
        const form = this.pick(3)
        const handler = newBlock(ctx.block, { varScope: false })
        const param = form === 0 ? '' : form === 1 ? `(${this.declareLexical(handler, this.oneOf(NAMES))})` : `({ p: ${this.declareLexical(handler, this.oneOf(NAMES))} })`
        return `try ${this.block(ctx)} catch ${param} ${this.block({ ...ctx, block: handler }, {}, [...handler.lexical])} finally ${this.block(ctx)}`
      }
      case 11: {
        const label = `L${++this.labelCount}`
        const body = `for (;;) ${this.block(ctx, { inLoop: true, labels: [...ctx.labels, label] })}`
        return `${label}: ${body}`
      }
      case 12:
        if (ctx.labels.length > 0 && ctx.inLoop) return `${this.oneOf(['break', 'continue'])} ${this.oneOf(ctx.labels)};`
        return ctx.inLoop ? 'break;' : ';'
      case 13: {
        const cases = newBlock(ctx.block, { varScope: false })
        const inner = { ...ctx, block: cases, inSwitch: true, depth: ctx.depth + 1 }
        return `switch (${this.expression(deeper)}) { case 1: ${this.statements(inner, 1 + this.pick(2))} default: ${this.statements(inner, 1 + this.pick(2))} }`
      }
      case 14: {
        const name = this.oneOf(NAMES)
        return `${name} = ${this.expression(deeper)};`
      }
      default:
        return `(${this.functionExpression(ctx)});`
    }
  }

  // --- expressions ------------------------------------------------------------------------------

  private expression(ctx: Context): string {
    const deeper = { ...ctx, depth: ctx.depth + 1 }
    if (ctx.depth > 5) return this.oneOf(NAMES)
    switch (this.pick(11)) {
      case 0:
      case 1:
        return this.oneOf(NAMES)
      case 2:
        return `${this.oneOf(NAMES)}.${this.oneOf(['p', 'q'])}${this.chance(30) ? `?.${this.oneOf(['p', 'q'])}` : ''}`
      case 3:
        return `${this.oneOf(NAMES)}[${this.expression(deeper)}]`
      case 4:
        return `${this.oneOf(NAMES)}(${this.expression(deeper)})`
      case 5:
        return `${this.oneOf(NAMES)}.${this.oneOf(['p', 'q'])}(${this.oneOf(NAMES)})`
      case 6:
        return `[${this.expression(deeper)}, ...${this.oneOf(NAMES)}]`
      case 7:
        return `(${this.expression(deeper)} ? ${this.expression(deeper)} : \`\${${this.expression(deeper)}}\`)`
      case 8:
        return `(${this.functionExpression(deeper)})`
      case 9:
        return `(class ${this.chance(50) ? this.oneOf(NAMES) : ''}${this.heritage(deeper)} ${this.classBody(deeper, null)})`
      default: {
        // an assignment: a plain name, a member, or a destructuring pattern
        const form = this.pick(4)
        const target = form === 0 ? `[${this.oneOf(NAMES)}, { p: ${this.oneOf(NAMES)} }]` : form === 1 ? `${this.oneOf(NAMES)}.${this.oneOf(['p', 'q'])}` : this.oneOf(NAMES)
        if (form === 3) return `${target}${this.oneOf(['++', ' += 1'])}`
        return `(${target} = ${this.expression(deeper)})`
      }
    }
  }
}

function newBlock(parent: Block | null, options: { varScope: boolean; module?: boolean }): Block {
  return { parent, lexical: new Set(), hoisted: new Set(), params: new Set(), varScope: options.varScope, module: options.module ?? false }
}
