import { mulberry32, type BenchInput } from './generateInlineModules.js'

// 'use server' modules for the bench, generated on each run (never committed): the actions files
// of an app, 1–40 KB, TS and (a third) TSX, with validation, database calls, cookies and
// redirects, helpers and types between the exported functions. Seeded: identical on every run.

export function generateServerModules(count: number, seed = 2): BenchInput[] {
  const random = mulberry32(seed)
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!
  const inputs: BenchInput[] = []
  for (let m = 0; m < count; m++) {
    const tsx = m % 3 === 2
    const target = Math.round(1024 * Math.exp(random() * Math.log(40)))
    const parts = [header(tsx)]
    let size = parts[0]!.length
    for (let i = 0; size < target; i++) {
      const entity = pick(ENTITIES)
      const part = random() < 0.25 ? helper(entity, i) : tsx && random() < 0.4 ? email(entity, i) : pick([crud, query, form])(entity, i)
      parts.push(part)
      size += part.length
    }
    inputs.push({ id: `/bench/app/src/actions/${ENTITIES[m % ENTITIES.length]}-${m}.${tsx ? 'tsx' : 'ts'}`, code: parts.join('\n') })
  }
  return inputs
}

const ENTITIES = ['post', 'comment', 'invoice', 'project', 'task', 'order', 'member', 'ticket'] as const
type Entity = (typeof ENTITIES)[number]
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1)

const header = (tsx: boolean) => `'use server'

import { cookies, redirect, revalidatePath, revalidateTag } from '@use-server/runtime/server'
import { db } from '../db'
import type { ${ENTITIES.map(cap).join(', ')}, User } from '../types'
${tsx ? "import { renderToString } from 'react-dom/server'\nimport { sendMail } from '../mail'\n" : ''}
const MAX_TITLE = 120
`

const crud = (e: Entity, i: number) => `
export async function create${cap(e)}${i}(formData: FormData): Promise<{ error?: string }> {
  const title = String(formData.get('title') ?? '').trim()
  if (!title) return { error: 'A title is required.' }
  if (title.length > MAX_TITLE) return { error: \`Keep it under \${MAX_TITLE} characters.\` }
  const user = await currentUser${i}()
  const id = await db.${e}s.insert({ title, ownerId: user.id, createdAt: new Date() })
  revalidatePath('/${e}s')
  revalidateTag('${e}s')
  redirect(\`/${e}s/\${id}\`)
}

export const update${cap(e)}${i} = async (id: number, changes: Partial<${cap(e)}>) => {
  const user = await currentUser${i}()
  const existing = await db.${e}s.find(id)
  if (!existing || existing.ownerId !== user.id) throw new Error('Not allowed')
  await db.${e}s.update(id, { ...changes, updatedAt: new Date() })
  revalidatePath(\`/${e}s/\${id}\`)
  return { ok: true as const }
}

export async function delete${cap(e)}${i}(formData: FormData) {
  const id = Number(formData.get('id'))
  await db.${e}s.remove(id)
  revalidatePath('/${e}s')
}
`

const query = (e: Entity, i: number) => `
export async function list${cap(e)}s${i}(page = 1, filter?: { status?: string; ownerId?: number }): Promise<${cap(e)}[]> {
  const rows = await db.${e}s.query({ where: filter, offset: (page - 1) * 20, limit: 20, orderBy: { createdAt: 'desc' } })
  return rows.map((row) => ({ ...row, title: row.title.slice(0, MAX_TITLE) }))
}

export async function* stream${cap(e)}s${i}(since: Date) {
  for await (const row of db.${e}s.cursor({ where: { updatedAt: { gt: since } } })) yield row
}
`

const form = (e: Entity, i: number) => `
export async function save${cap(e)}Preferences${i}(previous: { saved: boolean }, formData: FormData) {
  const store = cookies()
  const view = formData.get('view') === 'grid' ? 'grid' : 'list'
  store.set('${e}-view', view, { maxAge: 60 * 60 * 24 * 365, sameSite: 'lax' })
  return { saved: !previous.saved || true, view }
}
`

const email = (e: Entity, i: number) => `
function ${cap(e)}Email${i}({ ${e}, user }: { ${e}: ${cap(e)}; user: User }) {
  return (
    <div style={{ fontFamily: 'sans-serif' }}>
      <h1>{${e}.title}</h1>
      <p>Hello {user.name}, your ${e} changed.</p>
      <a href={\`https://example.com/${e}s/\${${e}.id}\`}>Open it</a>
    </div>
  )
}

export async function notify${cap(e)}${i}(id: number) {
  const ${e} = await db.${e}s.find(id)
  const user = await currentUser${i}()
  await sendMail(user.email, renderToString(<${cap(e)}Email${i} ${e}={${e}} user={user} />))
}
`

const helper = (e: Entity, i: number) => `
async function currentUser${i}(): Promise<User> {
  const session = cookies().get('session')?.value
  if (!session) redirect('/login')
  const user = await db.sessions.user(session)
  if (!user) redirect('/login')
  return user
}

interface ${cap(e)}Summary${i} {
  id: number
  title: string
  total: number
}

function summarize${i}(rows: ${cap(e)}[]): ${cap(e)}Summary${i}[] {
  return rows.map((row) => ({ id: row.id, title: row.title, total: row.items?.length ?? 0 }))
}
`
