import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { copyFixture } from './support/fixtures.js'
import { run } from './support/processes.js'
import { vites } from './support/vites.js'

// The bundler's hook filter decides which modules reach the transform at all; a misspelling it let
// slip would ship the module to the browser as ordinary code. Both spellings below are caught only
// by the transform's looser checks (an edit distance in the prologue, a pattern in functions).

describe.each(vites)('$name: a misspelled directive', (vite) => {
  let app: ReturnType<typeof copyFixture> | undefined
  afterEach(() => app?.remove())

  test.each([
    ['in the module prologue', "'use sarver'\nexport async function typo() { return 1 }\n", "Unknown directive 'use sarver'"],
    ['in a function body', "export async function typo() {\n  'use srver'\n  return 1\n}\n", "Unknown directive 'use srver'"],
  ])('%s fails the build, naming the spelling to use', async (_, source, message) => {
    app = copyFixture('spa')
    writeFileSync(join(app.root, 'src/typo.ts'), source)
    const main = join(app.root, 'src/main.ts')
    writeFileSync(main, `import { typo } from './typo'\nvoid typo()\n${readFileSync(main, 'utf8')}`)
    const failure = await run(process.execPath, [vite.bin, 'build'], app.root).then(() => expect.unreachable('the build succeeded'), (error: Error) => error.message)
    expect(failure).toContain(message)
    expect(failure).toContain("did you mean 'use server'?")
    expect(failure).toMatch(/typo\.ts/)
  }, 60_000)
})
