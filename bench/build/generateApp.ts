import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface GeneratedApp {
  modules: number
  serverModules: number
}

/**
 * A Vite app of `libraries` ordinary modules and `actions` 'use server' modules (three functions
 * each), all reachable from the entry, plus two configs: with and without the plugin.
 */
export function generateApp(root: string, libraries = 900, actions = 120): GeneratedApp {
  mkdirSync(join(root, 'src/lib'), { recursive: true })
  mkdirSync(join(root, 'src/actions'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><html><body><div id="app"></div><script type="module" src="/src/main.ts"></script></body></html>\n')
  for (let i = 0; i < libraries; i++) {
    const next = i + 1 < libraries && i % 10 !== 9 ? `import { value${i + 1} } from './m${i + 1}'\n` : ''
    writeFileSync(
      join(root, `src/lib/m${i}.ts`),
      `${next}export interface Record${i} { id: number; label: string; tags: string[] }
export function format${i}(record: Record${i}): string {
  return \`#\${record.id} \${record.label} [\${record.tags.join(', ')}]\`
}
export const value${i}: number = ${i}${next ? ` + value${i + 1}` : ''}
export class Store${i} {
  private items = new Map<number, Record${i}>()
  add(record: Record${i}) { this.items.set(record.id, record); return this }
  list() { return [...this.items.values()].map(format${i}) }
}
`,
    )
  }
  for (let i = 0; i < actions; i++) {
    writeFileSync(
      join(root, `src/actions/a${i}.ts`),
      `'use server'

const rows: Array<{ id: number; title: string }> = []

export async function create${i}(form: FormData) {
  const title = String(form.get('title') ?? '')
  if (!title) return { error: 'Title is required' }
  rows.push({ id: rows.length + 1, title })
  return { ok: true, id: rows.length }
}

export async function list${i}(limit = 10) {
  return rows.slice(-limit)
}

export const remove${i} = async (id: number) => {
  const index = rows.findIndex((row) => row.id === id)
  if (index >= 0) rows.splice(index, 1)
  return index >= 0
}
`,
    )
  }
  const imports = [
    ...Array.from({ length: libraries / 10 }, (_, k) => `import { value${k * 10}, Store${k * 10} } from './lib/m${k * 10}'`),
    ...Array.from({ length: actions }, (_, i) => `import { create${i}, list${i}, remove${i} } from './actions/a${i}'`),
  ]
  writeFileSync(
    join(root, 'src/main.ts'),
    `${imports.join('\n')}
const values = [${Array.from({ length: libraries / 10 }, (_, k) => `value${k * 10}`).join(', ')}]
const stores = [${Array.from({ length: libraries / 10 }, (_, k) => `new Store${k * 10}()`).join(', ')}]
const functions = [${Array.from({ length: actions }, (_, i) => `create${i}, list${i}, remove${i}`).join(', ')}]
document.querySelector('#app')!.textContent = String(values.length + stores.length + functions.length)
;(window as any).functions = functions
`,
  )
  writeFileSync(join(root, 'vite.with-plugin.config.ts'), `import { useServer } from '@use-server/vite'\nexport default { logLevel: 'warn', plugins: [useServer()] }\n`)
  writeFileSync(join(root, 'vite.client-only.config.ts'), `import { useServer } from '@use-server/vite'\nexport default { logLevel: 'warn', plugins: [useServer({ embeddedServer: false })], build: { outDir: 'dist/client' } }\n`)
  writeFileSync(join(root, 'vite.without-plugin.config.ts'), `export default { logLevel: 'warn', build: { outDir: 'dist/client' } }\n`)
  return { modules: libraries + actions + 1, serverModules: actions }
}
