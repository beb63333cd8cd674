import { describe, expect, test } from 'vitest'
import type { ObjectExpression, ExpressionStatement, ObjectProperty } from '@babel/types'
import { parseModule } from '../parse/parseModule.js'
import { staticPropertyName } from './propertyKey.js'

const key = (source: string) => {
  const object = (parseModule(`({ ${source}: 1 })`, '/a.js').program.body[0] as ExpressionStatement).expression as ObjectExpression
  const property = object.properties[0] as ObjectProperty
  return staticPropertyName(property.key, property.computed)
}

describe('staticPropertyName', () => {
  test.each([['save', 'save'], ["'my-action'", 'my-action'], ['["save"]', 'save'], ['42', '42'], ['1n', '1'], ['[save]', null], ['[`t`]', null]])(
    '%s → %j',
    (source, expected) => expect(key(source)).toBe(expected),
  )
})
