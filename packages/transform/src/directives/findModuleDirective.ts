import type { Directive, File } from '@babel/types'
import { transformErrorAt } from '../errors/TransformError.js'
import { isUseServerNearMiss } from './nearMiss.js'

/**
 * The module's `'use server'` directive, or null. Only the prologue counts (Babel collects it as
 * `program.directives`: strings before any other statement, after comments and `'use strict'`);
 * the same string further down is an ordinary expression. A misspelled prologue string throws.
 */
export function findModuleDirective(ast: File, code: string, id: string): Directive | null {
  let found: Directive | null = null
  for (const directive of ast.program.directives) {
    const value = directive.value.value
    if (value === 'use server') found ??= directive
    else if (isUseServerNearMiss(value)) throw misspelledDirective(directive, code, id)
  }
  return found
}

/** `consequence`: what happens to the code if the directive stays misspelled. */
export function misspelledDirective(directive: Directive, code: string, id: string, consequence = 'a module would be sent to the browser') {
  const raw = code.slice(directive.value.start!, directive.value.end!)
  return transformErrorAt(
    'DIRECTIVE_MISSPELLED',
    `Unknown directive ${raw}: did you mean 'use server'? Write it exactly so, or this code is treated as ordinary code (and ${consequence}).`,
    code,
    id,
    directive.loc!.start,
  )
}
