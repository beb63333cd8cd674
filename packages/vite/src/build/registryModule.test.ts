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

  test('the registry does nothing in development', () => {
    expect(registryModuleCode(true)).not.toContain('installServerFunctionResolver')
  })
})
