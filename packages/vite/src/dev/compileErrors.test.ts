import { transformServerFunctions, type TransformError } from '@use-server/transform'
import type { HotPayload, Logger, ViteDevServer } from 'vite'
import { describe, expect, test } from 'vitest'
import { CompileErrors } from './compileErrors.js'

const SOURCE = "'use server'\n\n// about it\nexport function notAsync() {\n  return 1\n}\n\nexport async function other() {\n  return 'a line the terminal does not print'\n}\n"

function compileError(file: string, source = SOURCE): TransformError {
  try {
    transformServerFunctions(source, file, { target: 'server' })
  } catch (error) {
    return error as TransformError
  }
  throw new Error('expected a compile error')
}

/** The slice of a dev server CompileErrors talks to: a logger, the browser's channel, the server module graph. */
function devServer() {
  const printed: string[] = []
  const sent: HotPayload[] = []
  const invalidated: string[] = []
  const logger = { error: (message: string) => void printed.push(message) } as unknown as Logger
  const server = {
    config: { logger },
    environments: {
      client: { hot: { send: (payload: HotPayload) => void sent.push(payload) } },
      ssr: {
        moduleGraph: {
          getModulesByFile: (file: string) => new Set([{ file }]),
          invalidateModule: (module: { file: string }) => void invalidated.push(module.file),
        },
      },
    },
  } as unknown as ViteDevServer
  return { server, logger, printed, sent, invalidated, errors: new CompileErrors(server, 'ssr') }
}

describe('CompileErrors', () => {
  test('an error is printed once, with its place and frame, whichever side and however often it is reported', () => {
    const { errors, printed } = devServer()
    const error = compileError('/app/src/a.ts')
    errors.report(error, 'client')
    errors.report(error, 'server')
    errors.report(compileError('/app/src/a.ts'), 'server')
    expect(printed).toHaveLength(1)
    expect(printed[0]).toContain('Server function "notAsync" must be async')
    expect(printed[0]).toContain('File: /app/src/a.ts:4:8')
    expect(printed[0]).toContain('> 4 | export function notAsync() {')
    expect(printed[0]).not.toContain('a line the terminal does not print') // the frame, not the module
  })

  test('a server-side error goes to the overlay; a client-side one is Vite’s to show', () => {
    const { errors, sent } = devServer()
    errors.report(compileError('/app/src/client.ts'), 'client')
    expect(sent).toEqual([])
    errors.report(compileError('/app/src/server.ts'), 'server')
    errors.report(compileError('/app/src/server.ts'), 'server')
    expect(sent).toEqual([{ type: 'error', err: expect.objectContaining({ message: expect.stringContaining('notAsync'), id: '/app/src/server.ts', loc: { file: '/app/src/server.ts', line: 4, column: 7 }, stack: '    at /app/src/server.ts:4:8' }) }])
  })

  test('an error of a module the app has not loaded is kept quiet until the browser loads the module', () => {
    const { errors, printed, sent } = devServer()
    errors.report(compileError('/app/src/stray.ts'), 'server', { announce: false })
    expect([printed, sent]).toEqual([[], []])
    expect(errors.list()).toMatchObject([{ side: 'server', file: '/app/src/stray.ts', line: 4, code: 'EXPORT_NOT_ASYNC' }])
    errors.loadedByBrowser('/app/src/stray.ts')
    expect(printed).toHaveLength(1)
    expect(sent).toHaveLength(1)
  })

  test('the fix closes the overlay, or shows the next error that stands; a page-breaking one is forgotten by the module graph first', () => {
    const { errors, sent, invalidated, printed } = devServer()
    errors.report(compileError('/app/src/a.ts'), 'server', { blocksPages: true })
    errors.report(compileError('/app/src/b.ts'), 'server')
    expect(errors.pageError()?.loc.file).toBe('/app/src/a.ts')
    sent.length = 0
    errors.resolved('/app/src/a.ts', 'server')
    expect(invalidated).toEqual(['/app/src/a.ts'])
    expect(errors.pageError()).toBeUndefined()
    expect(sent).toEqual([{ type: 'error', err: expect.objectContaining({ id: '/app/src/b.ts' }) }])
    errors.resolved('/app/src/b.ts', 'server')
    expect(sent.at(-1)).toEqual({ type: 'update', updates: [] })
    // broken again: said again
    errors.report(compileError('/app/src/a.ts'), 'server')
    expect(printed).toHaveLength(3)
  })

  test('a page opened later gets the error that stands', () => {
    const { errors } = devServer()
    const client = { sent: [] as HotPayload[], send(payload: HotPayload) { this.sent.push(payload) } }
    errors.replayTo(client)
    expect(client.sent).toEqual([])
    errors.report(compileError('/app/src/a.ts'), 'server')
    errors.replayTo(client)
    expect(client.sent).toEqual([{ type: 'error', err: expect.objectContaining({ id: '/app/src/a.ts' }) }])
  })

  test('Vite’s own copies of a printed error are let go, other messages are not', () => {
    const { errors, logger, printed } = devServer()
    errors.quietenLogger(logger)
    errors.quietenLogger(logger) // a second plugin instance on the same logger wraps it once
    const error = compileError('/app/src/a.ts')
    errors.report(error, 'client')
    logger.error(`Pre-transform error: ${error.message}`, { error })
    logger.error(`An error happened during full reload\n${error.message}\n${error.stack}`)
    logger.error('Internal server error: something else', { error: new Error('something else') })
    expect(printed).toHaveLength(2)
    expect(printed[1]).toBe('Internal server error: something else')
    // one it never saw (thrown where the plugin did not catch it) is printed as Vite prints it
    const unseen = compileError('/app/src/unseen.ts', "'use server'\nexport const x = 1\n")
    logger.error(`Pre-transform error: ${unseen.message}`, { error: unseen })
    expect(printed).toHaveLength(3)
  })
})
