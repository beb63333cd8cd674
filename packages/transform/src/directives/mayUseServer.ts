import { isUseServerNearMiss } from './nearMiss.js'
import { scanPrologueStrings } from './scanPrologue.js'

// A string literal that looks like a (mis)spelled 'use server': `'use sever'`, `"useServer"`, `'us server'`.
// Loose on purpose (a false match costs one parse); `'use strict'` and `'use client'` do not match.
const DIRECTIVE_LIKE = /["']\s*u[a-z]{0,2}[\s_.-]*s[erv]{2,6}\s*;?\s*["']/i

/**
 * The cheap test that lets most modules of an app skip parsing: true when the text could hold a
 * 'use server' directive, at module level or in a function, spelled right or nearly.
 */
export function mayUseServer(code: string): boolean {
  return code.includes('use server') || DIRECTIVE_LIKE.test(code) || scanPrologueStrings(code).some(isUseServerNearMiss)
}

/** For a 'use server' module: true when more than its directive could say 'use server' (inline directives inside). */
export function mayHaveInlineDirective(code: string, moduleDirectiveEnd: number): boolean {
  return code.includes('use server', moduleDirectiveEnd) || DIRECTIVE_LIKE.test(code.slice(moduleDirectiveEnd))
}
