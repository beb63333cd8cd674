import type { Directive } from '@babel/types'
import { transformErrorAt } from '../errors/TransformError.js'
import { isUseServerNearMiss } from './nearMiss.js'

/** What happens to the code if its directive stays misspelled, said in the error. */
const CONSEQUENCE = {
  module: 'a module would be sent to the browser',
  function: 'the function would run, with everything it reads, wherever its module runs',
}

/**
 * The `'use server'` directive among a prologue's directives, or null. Babel collects a module's or
 * a function body's prologue (its leading strings, after comments and `'use strict'`) as
 * `directives`, so the same string further down never counts. A misspelled one throws: the module
 * or function would otherwise silently stay ordinary code.
 */
export function findServerDirective(directives: readonly Directive[], code: string, id: string, of: keyof typeof CONSEQUENCE): Directive | null {
  let found: Directive | null = null
  let client: Directive | null = null
  for (const directive of directives) {
    const value = directive.value.value
    if (value === 'use server') found ??= directive
    else if (value === 'use client') client ??= directive
    else if (isUseServerNearMiss(value)) throw misspelledDirective(directive, code, id, CONSEQUENCE[of])
  }
  if (found && client) throw conflictingDirectives(found, client, code, id, of)
  return found
}

function conflictingDirectives(server: Directive, client: Directive, code: string, id: string, of: keyof typeof CONSEQUENCE) {
  const later = server.start! > client.start! ? server : client
  const what = of === 'module' ? 'module' : 'function'
  return transformErrorAt(
    'DIRECTIVE_CONFLICT',
    `This ${what} says both 'use server' and 'use client'. They contradict each other: 'use server' makes ${of === 'module' ? 'its exports functions that run on the server' : 'it a function that runs on the server'}, called from the browser; 'use client' marks code that runs in the browser. Keep the one you mean${of === 'module' ? ', and move what runs on the other side to a module of its own' : ''}.`,
    code,
    id,
    later.loc!.start,
  )
}

function misspelledDirective(directive: Directive, code: string, id: string, consequence: string) {
  const raw = code.slice(directive.value.start!, directive.value.end!)
  return transformErrorAt(
    'DIRECTIVE_MISSPELLED',
    `Unknown directive ${raw}: did you mean 'use server'? Write it exactly so, or this code is treated as ordinary code (and ${consequence}).`,
    code,
    id,
    directive.loc!.start,
  )
}
