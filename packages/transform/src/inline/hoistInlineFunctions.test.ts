import { parse } from '@babel/parser'
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import { describe, expect, test } from 'vitest'
import { transformServerFunctions } from '../transformServerFunctions.js'

const source = `import { db } from './db'

export function Page({ post }: { post: Post }) {
  const label = post.title
  async function remove(reason: string) {
    'use server'
    await db.delete(post.id, reason)
  }
  const rename = async (title: string) => {
    'use server'
    await db.rename(post.id, title, label)
  }
  return [remove, rename, label]
}
`

const transform = () => transformServerFunctions(source, '/app/src/page.tsx', { target: 'server', root: '/app' })!

describe('hoistInlineFunctions', () => {
  test('code after an inline function keeps its line number', () => {
    const outputLines = transform().code.split('\n')
    expect(outputLines[8]).toContain('const rename =')
    expect(outputLines[12]).toBe('  return [remove, rename, label]')
    expect(outputLines[13]).toBe('}')
  })

  test('a position inside a hoisted body maps back to the original body', () => {
    const { code, map } = transform()
    const trace = new TraceMap(map as never)
    const outputLines = code.split('\n')
    for (const [text, line, column] of [
      ['db.delete(', 7, 10],
      ['db.rename(', 11, 10],
    ] as const) {
      const outputLine = outputLines.findIndex((l) => l.includes(text)) + 1
      expect(outputLine).toBeGreaterThan(source.split('\n').length)
      const original = originalPositionFor(trace, { line: outputLine, column: outputLines[outputLine - 1]!.indexOf(text) })
      expect(original).toMatchObject({ source: '/app/src/page.tsx', line, column })
    }
  })

  test('hoisted functions are named exports that take the bound values first', () => {
    const { code } = transform()
    const ast = parse(code, { sourceType: 'module', plugins: ['typescript', 'jsx'] })
    const exported = ast.program.body.flatMap((s) =>
      s.type === 'ExportNamedDeclaration' && s.declaration?.type === 'FunctionDeclaration' && s.declaration.id!.name.startsWith('$$')
        ? [[s.declaration.id!.name, s.declaration.params.map((p) => code.slice(p.start!, p.end!)).join(', ')]]
        : [],
    )
    expect(exported).toEqual([
      ['$$server_Page_remove', '$$post_id, reason: string'],
      ['$$server_Page_rename', '$$post_id, label, title: string'],
    ])
  })
})
