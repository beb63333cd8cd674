const USE_SERVER = 'use server'

// Real directives that are close to 'use server' only by edit distance must never be flagged.
const OTHER_DIRECTIVES = new Set(['use strict', 'use client', 'use cache', 'use asm', 'use memo', 'use no memo'])

/**
 * True when a prologue string looks like a misspelled 'use server' (`'use sever'`, `"use-server"`,
 * `'Use Server'`, `'useServer'`): such a file would otherwise ship its server code to the browser.
 */
export function isUseServerNearMiss(value: string): boolean {
  if (value === USE_SERVER) return false
  const normalized = value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[\s\-_.;:]+/g, ' ')
    .trim()
  if (OTHER_DIRECTIVES.has(normalized)) return false
  if (normalized === USE_SERVER) return true
  return editDistance(normalized, USE_SERVER, 2) <= 2
}

/** Levenshtein distance, giving up early (returning `max + 1`) once it must exceed `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      current.push(value)
      rowMin = Math.min(rowMin, value)
    }
    if (rowMin > max) return max + 1
    previous = current
  }
  return previous[b.length]!
}
