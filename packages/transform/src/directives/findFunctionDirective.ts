import type { Directive } from '@babel/types'
import { misspelledDirective } from './findModuleDirective.js'
import { isUseServerNearMiss } from './nearMiss.js'

/**
 * The `'use server'` directive of a function body, or null. Babel collects a body's prologue (its leading
 * strings) as `directives`, so only a directive counts, never the same string later in the body.
 * A misspelled prologue string throws: the function would otherwise run wherever its module runs.
 */
export function findFunctionDirective(directives: readonly Directive[], code: string, id: string): Directive | null {
  let found: Directive | null = null
  for (const directive of directives) {
    const value = directive.value.value
    if (value === 'use server') found ??= directive
    else if (isUseServerNearMiss(value)) throw misspelledDirective(directive, code, id, 'the function would run, with everything it reads, wherever its module runs')
  }
  return found
}
