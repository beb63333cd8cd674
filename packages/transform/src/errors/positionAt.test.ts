import { describe, expect, test } from 'vitest'
import { parseModule } from '../parse/parseModule.js'
import { positionAt } from './positionAt.js'

describe('positionAt', () => {
  test('agrees with the line and column Babel gives every statement, whatever ends the lines', () => {
    const lines = ['const a = 1', 'const b = 2', '', '  const c = 3']
    for (const separator of ['\n', '\r\n', '\r', '\u2028', '\u2029']) {
      const source = lines.join(separator)
      for (const statement of parseModule(source, '/a.js').program.body) {
        expect(positionAt(source, statement.start!)).toEqual({ line: statement.loc!.start.line, column: statement.loc!.start.column })
      }
    }
  })
})
