import { isBuiltin } from 'node:module'
import { describe, expect, test } from 'vitest'
import { importsProductionServer, linkProductionServer, productionServerFiles, productionServerImport, PRODUCTION_SERVER_MODULE } from './productionServerFiles.js'

describe('the production server bundled with the package', () => {
  test('stands in for the server and the runtime entries it holds; other entries are bundled as usual', () => {
    expect(productionServerImport('@use-server/runtime/server')).toEqual({ id: 'use-server-production-server:server.js', external: true })
    expect(productionServerImport(PRODUCTION_SERVER_MODULE)).toEqual({ id: 'use-server-production-server:production.js', external: true })
    for (const other of ['@use-server/runtime/client', '@use-server/runtime/ssr', '@use-server/runtime/react', '@use-server/runtime/server/x', 'send']) expect(productionServerImport(other)).toBeUndefined()
  })

  test("each chunk imports the copied files by its own path to them, static and dynamic imports alike", () => {
    const code = 'import { a } from "use-server-production-server:server.js";\nconst b = () => import(\'use-server-production-server:node.js\');\n'
    expect(importsProductionServer(code)).toBe(true)
    expect(linkProductionServer(code, 'index.js', false).code).toBe('import { a } from "./use-server-runtime/server.js";\nconst b = () => import("./use-server-runtime/node.js");\n')
    expect(linkProductionServer(code, 'assets/deep/a-1.js', false).code).toContain('from "../../use-server-runtime/server.js"')
    expect(linkProductionServer('const text = "use-server-production-server"', 'index.js', false).code).toBe('const text = "use-server-production-server"')
  })

  test('with source maps, the edit comes with its map; without, none', () => {
    const code = 'import { a } from "use-server-production-server:server.js";\nf(a);\n'
    const { map } = linkProductionServer(code, 'x.js', true)
    expect(map?.mappings.split(';')).toHaveLength(3) // every line mapped, the imports' and the code's
    expect(map?.mappings.split(';')[1]).toMatch(/^AAC/) // line 2 starts at line 2, column 0 of the chunk
    expect(linkProductionServer(code, 'x.js', false).map).toBeNull()
  })

  test('the files are there, every import among them relative or a built-in (redis aside: the app\'s own)', () => {
    const files = productionServerFiles()
    expect(files.map((file) => file.fileName)).toEqual(expect.arrayContaining(['production.js', 'server.js', 'node.js', 'redis.js']))
    for (const { fileName, source } of files) {
      // Rolldown writes each import statement on a line of its own; required modules are Node's (CommonJS inside).
      const imported = [...source.matchAll(/^(?:import|export)\b[^;\n]*?["']([^"']+)["'];?$|\bimport\(["']([^"']+)["']\)/gm)].map((match) => match[1] ?? match[2]!)
      const required = [...source.matchAll(/\b__require\(["']([^"']+)["']\)/g)].map((match) => match[1]!)
      if (fileName === 'production.js') expect(imported).toContain('node:http') // the reading finds imports
      expect(imported.filter((specifier) => !/^(?:\.\.?\/|node:)/.test(specifier) && !(fileName === 'redis.js' && specifier === 'redis')), fileName).toEqual([])
      expect(required.filter((specifier) => !isBuiltin(specifier)), fileName).toEqual([])
    }
  })
})
