import { describe, expect, test } from 'vitest'
import { isUseServerNearMiss } from './nearMiss.js'

describe('isUseServerNearMiss', () => {
  test.each(['use sever', 'use-server', 'use_server', 'Use Server', 'USE SERVER', 'useServer', 'use  server', 'use servr', 'use server;', 'use serve', 'us server'])(
    '%j is a misspelling',
    (value) => expect(isUseServerNearMiss(value)).toBe(true),
  )

  test.each(['use server', 'use strict', 'use client', 'use cache', 'use memo', 'use no memo', 'use asm', 'hello', '', 'use everything'])(
    '%j is not',
    (value) => expect(isUseServerNearMiss(value)).toBe(false),
  )
})
