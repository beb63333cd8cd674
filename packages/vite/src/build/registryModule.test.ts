import { describe, expect, test } from 'vitest'
import { fillRegistry, registryModuleCode } from './registryModule.js'

describe('fillRegistry', () => {
  const code = registryModuleCode(false)

  test('writes each function with a lazy import relative to the registry chunk', () => {
    const filled = fillRegistry(code, 'entry.js', [{ id: 'abc', exportName: 'save', name: 'save', boundCount: 0, chunk: 'assets/actions-1.js' }])!
    expect(filled).toContain('["abc",{exportName:"save",name:"save",boundCount:0,load:()=>import("./assets/actions-1.js")}]')
    expect(fillRegistry(code, 'assets/registry.js', [{ id: 'a', exportName: 'f', name: 'f', boundCount: 0, chunk: 'assets/x.js' }])).toContain('import("./x.js")')
    expect(fillRegistry(code, 'nested/deep/entry.js', [{ id: 'a', exportName: 'f', name: 'f', boundCount: 0, chunk: 'assets/x.js' }])).toContain('import("../../assets/x.js")')
  })

  test('keeps `$` in export names intact (hoisted inline functions are named `$$server_…`)', () => {
    const filled = fillRegistry(code, 'entry.js', [{ id: 'id1', exportName: '$$server_Page_save', name: 'save', boundCount: 1, chunk: 'a.js' }])!
    expect(filled).toContain('exportName:"$$server_Page_save"')
  })

  test('leaves other chunks alone', () => {
    expect(fillRegistry('export const x = 1', 'x.js', [])).toBeUndefined()
  })

  test('imports a chunk on its first call only, and again after a failed import', async () => {
    const filled = fillRegistry(code, 'entry.js', [{ id: 'a', exportName: 'f', name: 'f', boundCount: 0, chunk: 'x.js' }])!
    let imports = 0
    let resolver: (id: string) => unknown = () => undefined
    // The chunk's code with its two imports (the runtime, the lazy chunk) handed in as functions.
    const body = filled.replace(/^import .*$/m, '').replace(/^export /m, '').replace(/import\("\.\/x\.js"\)/, 'importChunk()')
    new Function('installServerFunctionResolver', 'importChunk', body)(
      (resolve: typeof resolver) => (resolver = resolve),
      async () => {
        if (++imports === 1) throw new Error('chunk failed to load')
        return { f: 'the function' }
      },
    )
    await expect(resolver('a')).rejects.toThrow('chunk failed to load')
    expect(await resolver('a')).toEqual({ fn: 'the function', name: 'f', boundCount: 0 })
    expect(resolver('a')).toEqual({ fn: 'the function', name: 'f', boundCount: 0 }) // synchronous now
    expect(imports).toBe(2)
    expect(resolver('unknown')).toBeUndefined()
  })

  test('bindsValues says whether any function has bound values (what USE_SERVER_KEY protects)', () => {
    const bindsValues = (rows: Array<{ boundCount: number }>) => {
      const filled = fillRegistry(code, 'entry.js', rows.map((row, i) => ({ id: `f${i}`, exportName: `f${i}`, name: `f${i}`, chunk: 'x.js', ...row })))!
      const body = filled.replace(/^import .*$/m, '').replace(/^export const bindsValues =/m, 'return')
      return new Function('installServerFunctionResolver', body)(() => {})
    }
    expect(bindsValues([])).toBe(false)
    expect(bindsValues([{ boundCount: 0 }, { boundCount: 0 }])).toBe(false)
    expect(bindsValues([{ boundCount: 0 }, { boundCount: 2 }])).toBe(true)
  })

  test('the registry does nothing in development', () => {
    expect(registryModuleCode(true)).not.toContain('installServerFunctionResolver')
  })
})
