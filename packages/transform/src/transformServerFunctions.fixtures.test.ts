import { parse } from '@babel/parser'
import type { Node } from '@babel/types'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { TransformError } from './errors/TransformError.js'
import { parserPluginsFor } from './parse/parseModule.js'
import { transformServerFunctions } from './transformServerFunctions.js'
import type { TransformWarning } from './errors/TransformError.js'
import type { TransformOptions, TransformResult, TransformTarget } from './types.js'

// Each folder of fixtures/transform is a case: `input.<ext>`, optional `options.json`, and the
// snapshots the transform must reproduce. `vitest -u` rewrites snapshots; review the diff.
const fixturesRoot = fileURLToPath(new URL('../../../fixtures/transform/', import.meta.url))
const UNCHANGED = 'transformServerFunctions returns null for both targets: the module is left as it is.\n'

type Outcome = ({ result: TransformResult | null } | { error: TransformError }) & { warnings: TransformWarning[] }

for (const name of readdirSync(fixturesRoot).sort()) {
  const dir = join(fixturesRoot, name)
  const inputFile = readdirSync(dir).find((file) => file.startsWith('input.'))
  if (!inputFile) continue
  const id = join(dir, inputFile)
  const code = readFileSync(id, 'utf8')
  const optionsFile = join(dir, 'options.json')
  const options: Partial<TransformOptions> = existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {}
  const run = (target: TransformTarget): Outcome => {
    const warnings: TransformWarning[] = []
    const onWarning = (warning: TransformWarning) => warnings.push(warning)
    try {
      return { result: transformServerFunctions(code, id, { ...options, target, root: fixturesRoot, onWarning }), warnings }
    } catch (error) {
      if (error instanceof TransformError) return { error, warnings }
      throw error
    }
  }

  describe(name, () => {
    const outcomes = { server: run('server'), client: run('client') }
    const expected = new Set([inputFile, 'options.json'])
    const snapshot = (file: string, text: string) => {
      expected.add(file)
      return expect(text).toMatchFileSnapshot(join(dir, file))
    }

    test('matches its snapshots', async () => {
      const { server, client } = outcomes
      if ('error' in server && 'error' in client && formatError(server.error) === formatError(client.error)) {
        await snapshot('error.txt', formatError(server.error))
      } else if ('result' in server && 'result' in client && !server.result && !client.result) {
        await snapshot('unchanged.txt', UNCHANGED)
      } else {
        for (const target of ['server', 'client'] as const) {
          const outcome = outcomes[target]
          if ('error' in outcome) await snapshot(`error.${target}.txt`, formatError(outcome.error))
          else await snapshot(`output.${target}.js`, outcome.result?.code ?? 'null\n')
        }
        if ('result' in server && server.result) {
          await snapshot('functions.json', JSON.stringify(server.result.functions, null, 2) + '\n')
        }
      }
      const warnings = { server: server.warnings.map(formatError).join('\n'), client: client.warnings.map(formatError).join('\n') }
      if (warnings.server === warnings.client && warnings.server) await snapshot('warnings.txt', warnings.server)
      else for (const target of ['server', 'client'] as const) if (warnings[target]) await snapshot(`warnings.${target}.txt`, warnings[target])
      const stale = readdirSync(dir).filter((file) => !expected.has(file))
      expect(stale, 'snapshot files that no longer match an outcome').toEqual([])
    })

    if ('result' in outcomes.server && outcomes.server.result) {
      const server = outcomes.server.result
      test('server output re-parses with the input syntax', () => {
        expect(() => parse(server.code, { sourceType: 'module', plugins: parserPluginsFor(id) })).not.toThrow()
      })
    }

    if ('result' in outcomes.client && outcomes.client.result) {
      const client = outcomes.client.result
      test('client output is plain JavaScript with nothing of the original but export names', () => {
        const output = parse(client.code, { sourceType: 'module' })
        const original = parse(code, { sourceType: 'module', plugins: parserPluginsFor(id), errorRecovery: true })
        const exportNames = new Set(client.functions.map((f) => f.exportName))
        const leaked = [...namesAndStrings(output)].filter(
          (value) => namesAndStrings(original).has(value) && !exportNames.has(value) && value !== 'use server',
        )
        expect(leaked).toEqual([])
        expect(client.code).not.toMatch(/\/\/|\/\*\*/) // no comment survives, only /*#__PURE__*/
        const imports = output.program.body.filter((s) => s.type === 'ImportDeclaration')
        expect(imports.map((s) => s.source.value)).toEqual(
          client.functions.length > 0 ? [options.clientRuntime ?? '@use-server/runtime/client'] : [],
        )
      })
    }

    if ('result' in outcomes.server && outcomes.server.result && 'result' in outcomes.client && outcomes.client.result) {
      const [server, client] = [outcomes.server.result, outcomes.client.result]
      test('both targets agree on ids, and every id appears in each output', () => {
        // inline functions of a 'use server' module exist on the server only: the client gets stubs of its exports
        expect(client.functions).toEqual(server.functions.filter((f) => f.kind === 'module'))
        for (const { id: fnId, kind } of server.functions) {
          expect(server.code).toContain(JSON.stringify(fnId))
          if (kind === 'module') expect(client.code).toContain(JSON.stringify(fnId))
        }
      })
    }
  })
}

function formatError(error: TransformError | TransformWarning): string {
  const file = error.loc.file.slice(fixturesRoot.length)
  return `${error.code} at ${file}:${error.loc.line}:${error.loc.column + 1}\n${error.message}\n\n${error.frame}\n`
}

/** Every identifier name and string value in an AST. */
function namesAndStrings(ast: Node): Set<string> {
  const found = new Set<string>()
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (!node || typeof node !== 'object') return
    const n = node as { type?: string; name?: string; value?: unknown }
    if (n.type === 'Identifier' || n.type === 'JSXIdentifier') found.add(n.name!)
    if ((n.type === 'StringLiteral' || n.type === 'DirectiveLiteral') && typeof n.value === 'string') found.add(n.value)
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'loc' && key !== 'extra' && key !== 'comments' && typeof value === 'object') visit(value)
    }
  }
  visit(ast)
  return found
}
