import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import sqlite from 'node-sqlite3-wasm'

// Server-only: SQLite (compiled to WebAssembly, so it installs from npm alone) in a file on disk.

export interface Post {
  id: number
  title: string
  body: string
  likes: number
  views: number
  createdAt: string
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS posts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  likes INTEGER NOT NULL DEFAULT 0,
  views INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)`

const SEED = [
  ['Server functions in any Vite app', "Write 'use server', import it in the browser, call it."],
  ['Forms that work without JavaScript', 'Turn JavaScript off and submit a form: it still works.'],
]

type Row = { id: number; title: string; body: string; likes: number; views: number; created_at: string }
const toPost = (row: Row): Post => ({ id: row.id, title: row.title, body: row.body, likes: row.likes, views: row.views, createdAt: row.created_at })

// One connection per process, kept across development reloads of this module.
function database(): sqlite.Database {
  const holder = globalThis as { __postsDatabase?: sqlite.Database }
  if (holder.__postsDatabase) return holder.__postsDatabase
  const file = resolve(process.env.POSTS_DB ?? 'data/posts.db')
  mkdirSync(dirname(file), { recursive: true })
  const db = new sqlite.Database(file)
  db.exec(SCHEMA)
  if ((db.get('SELECT count(*) AS n FROM posts') as { n: number }).n === 0) {
    for (const [title, body] of SEED) db.run('INSERT INTO posts (title, body) VALUES (?, ?)', [title!, body!])
  }
  holder.__postsDatabase = db
  return db
}

export const posts = {
  list(): Post[] {
    return (database().all('SELECT * FROM posts ORDER BY id DESC') as Row[]).map(toPost)
  },
  get(id: number): Post | undefined {
    const row = database().get('SELECT * FROM posts WHERE id = ?', [id]) as Row | null
    return row ? toPost(row) : undefined
  },
  create(title: string, body: string): number {
    return Number(database().run('INSERT INTO posts (title, body) VALUES (?, ?)', [title, body]).lastInsertRowid)
  },
  rename(id: number, title: string): void {
    database().run('UPDATE posts SET title = ? WHERE id = ?', [title, id])
  },
  remove(id: number): void {
    database().run('DELETE FROM posts WHERE id = ?', [id])
  },
  like(id: number): number {
    database().run('UPDATE posts SET likes = likes + 1 WHERE id = ?', [id])
    return (database().get('SELECT likes FROM posts WHERE id = ?', [id]) as { likes: number } | null)?.likes ?? 0
  },
  view(id: number): number {
    database().run('UPDATE posts SET views = views + 1 WHERE id = ?', [id])
    return (database().get('SELECT views FROM posts WHERE id = ?', [id]) as { views: number } | null)?.views ?? 0
  },
}
