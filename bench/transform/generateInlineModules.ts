// Inline-heavy bench inputs, generated on each run (never committed): component (TSX) and loader
// (TS) modules of 1–40 KB, the shape of an app that writes server functions where it uses them:
// form actions in JSX closing over props and loop items, loaders returning action objects,
// declarations after `return`, nested and self-calling functions, among ordinary helper code.
// A seeded generator keeps the set identical from run to run.

export interface BenchInput {
  id: string
  code: string
}

export function generateInlineModules(count: number, seed = 1): BenchInput[] {
  const random = mulberry32(seed)
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!
  const inputs: BenchInput[] = []
  for (let m = 0; m < count; m++) {
    const tsx = m % 3 !== 2
    // sizes spread evenly on a log scale between 1 and 40 KB
    const target = Math.round(1024 * Math.exp(random() * Math.log(40)))
    const parts = [header(tsx)]
    let size = parts[0]!.length
    for (let i = 0; size < target; i++) {
      const entity = pick(ENTITIES)
      const part = i > 0 && random() < 0.35 ? helper(entity, i) : tsx ? pick([card, list, editor])(entity, i) : pick([loader, settings])(entity, i)
      parts.push(part)
      size += part.length
    }
    inputs.push({ id: `/bench/app/src/routes/${tsx ? 'page' : 'loader'}-${m}.${tsx ? 'tsx' : 'ts'}`, code: parts.join('\n') })
  }
  return inputs
}

const ENTITIES = ['post', 'comment', 'invoice', 'project', 'task', 'order', 'member', 'ticket'] as const
type Entity = (typeof ENTITIES)[number]
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1)

const header = (tsx: boolean) => `import { db } from '../db'
import { revalidatePath, redirect, cookies } from '@use-server/runtime/server'
import type { ${ENTITIES.map(cap).join(', ')}, User, LoaderArgs } from '../types'
${tsx ? "import { Button, Field } from '../ui'\n" : ''}
const PAGE_SIZE = 20
`

const card = (e: Entity, i: number) => `
export function ${cap(e)}Card${i}({ ${e}, user }: { ${e}: ${cap(e)}; user: User }) {
  const label = \`\${${e}.title} by \${user.name}\`
  return (
    <article className="card" data-id={${e}.id}>
      <h2>{label}</h2>
      <form action={like}>
        <Button>Like</Button>
      </form>
      <ul>
        {${e}.children.map((child, index) => (
          <li key={child.id}>
            <span>{index + 1}. {child.body}</span>
            <form action={async () => { 'use server'; await db.${e}s.removeChild(${e}.id, child.id); revalidatePath(\`/${e}s/\${${e}.id}\`) }}>
              <Button>Delete</Button>
            </form>
          </li>
        ))}
      </ul>
    </article>
  )

  async function like() {
    'use server'
    await db.likes.insert({ target: ${e}.id, userId: user.id, at: Date.now() })
    revalidatePath(\`/${e}s/\${${e}.id}\`)
  }
}
`

const list = (e: Entity, i: number) => `
export function ${cap(e)}List${i}({ items, owner, filter = 'all' }: { items: ${cap(e)}[]; owner: User; filter?: string }) {
  const visible = items.filter((item) => filter === 'all' || item.status === filter)
  const archiveAll = async (reason: string) => {
    'use server'
    for (const item of visible) await db.${e}s.archive(item.id, owner.id, reason)
    redirect('/${e}s')
  }
  return (
    <section>
      <header>
        <h1>{owner.name}: {visible.length} ${e}s</h1>
        <form action={archiveAll.bind(null, 'bulk')}><Button>Archive all</Button></form>
      </header>
      {visible.map((item) => (
        <form
          key={item.id}
          action={async (formData: FormData) => {
            'use server'
            const title = String(formData.get('title') ?? '')
            if (!title.trim()) return { error: 'Title is required' }
            await db.${e}s.update(item.id, { title, updatedBy: owner.id })
            revalidatePath('/${e}s')
          }}
        >
          <Field name="title" defaultValue={item.title} />
          <Button>Save</Button>
        </form>
      ))}
    </section>
  )
}
`

const editor = (e: Entity, i: number) => `
export function ${cap(e)}Editor${i}(props: { ${e}: ${cap(e)}; user: User }) {
  const { ${e}, user } = props
  async function makeField(field: keyof ${cap(e)}) {
    'use server'
    const audit = \`\${user.name} edited \${String(field)}\`
    async function save(value: string) {
      'use server'
      await db.${e}s.update(${e}.id, { [field]: value })
      await db.audit.insert({ message: audit, ${e}: ${e}.id })
    }
    return save
  }
  async function poll(attempt: number): Promise<string> {
    'use server'
    const status = await db.jobs.status(${e}.id)
    return status === 'done' || attempt > 5 ? status : poll(attempt + 1)
  }
  return <${cap(e)}Form ${e}={${e}} makeField={makeField} poll={poll} />
}
`

const loader = (e: Entity, i: number) => `
export async function loader${i}({ params, request }: LoaderArgs) {
  const session = await db.sessions.read(request.headers.get('cookie') ?? '')
  const page = Number(new URL(request.url).searchParams.get('page') ?? 1)
  const ${e}s = await db.${e}s.list({ owner: params.id, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE })
  return {
    ${e}s,
    page,
    actions: {
      async archive(id: string) {
        'use server'
        await db.${e}s.archive(id, session.userId)
        revalidatePath(\`/${e}s/\${params.id}\`)
      },
      rename: async (id: string, name: string) => {
        'use server'
        if (name.length > 200) throw new Error('too long')
        return db.${e}s.rename(id, name, session.userId)
      },
      async [\`export\${page}\`](format: 'csv' | 'json') {
        'use server'
        const rows = await db.${e}s.list({ owner: params.id, offset: 0, limit: 10_000 })
        return format === 'csv' ? rows.map((row) => Object.values(row).join(',')).join('\\n') : JSON.stringify(rows)
      },
    },
  }
}
`

const settings = (e: Entity, i: number) => `
export class ${cap(e)}Settings${i} {
  static defaults = { pageSize: PAGE_SIZE, sort: 'updatedAt' }

  static async save(userId: string, values: Record<string, string>) {
    'use server'
    const store = await cookies()
    store.set('${e}-settings', JSON.stringify({ ...${cap(e)}Settings${i}.defaults, ...values }))
    await db.preferences.upsert(userId, '${e}', values)
  }
}

export function ${e}Preferences${i}(user: User, team: { id: string; plan?: { seats: number } }) {
  return {
    reset: async () => {
      'use server'
      await db.preferences.reset(user.id, team.id, team.plan?.seats ?? 1)
    },
  }
}
`

const helper = (e: Entity, i: number) => `
/** Formats a ${e} row for display; pure, no server code. */
export function format${cap(e)}${i}(row: ${cap(e)}, locale = 'en-US'): string {
  const parts: string[] = []
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined) continue
    if (value instanceof Date) parts.push(\`\${key}: \${value.toLocaleDateString(locale)}\`)
    else if (typeof value === 'number') parts.push(\`\${key}: \${value.toLocaleString(locale)}\`)
    else parts.push(\`\${key}: \${String(value).slice(0, 80)}\`)
  }
  return parts.join(' · ')
}

export function validate${cap(e)}${i}(input: Partial<${cap(e)}>): string[] {
  const errors: string[] = []
  if (!input.title || input.title.length < 3) errors.push('title is too short')
  if (input.title && input.title.length > 200) errors.push('title is too long')
  switch (input.status) {
    case 'draft':
    case 'published':
      break
    default:
      errors.push(\`unknown status \${String(input.status)}\`)
  }
  return errors
}
`

export function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
