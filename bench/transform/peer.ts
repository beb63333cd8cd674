import { transformDirectiveProxyExport, transformServerActionServer } from '@vitejs/plugin-rsc/transforms'
import { parseAst, transformWithOxc } from 'vite'
import type { BenchInput } from './generateInlineModules.js'

// @vitejs/plugin-rsc's 'use server' transforms, called the way its plugin calls them: on the
// JavaScript Vite hands it (types and JSX already compiled), parsed with Vite's parser (oxc, in
// Rust), edited with magic-string, with bound-value encryption on (its default).

/** The same modules as JavaScript, compiled before any timing starts. */
export async function toJavaScript(inputs: BenchInput[]): Promise<BenchInput[]> {
  return Promise.all(
    inputs.map(async ({ id, code }) => ({
      id: id.replace(/\.tsx?$/, '.js'),
      code: (await transformWithOxc(code, id, { lang: id.endsWith('.tsx') ? 'tsx' : 'ts', jsx: { runtime: 'automatic' } })).code,
    })),
  )
}

const referenceKey = (id: string) => id.replace(/^\/bench\/app\//, '')

export function peerServer(input: BenchInput): void {
  if (!input.code.includes('use server')) return
  const ast = parseAst(input.code)
  const result = transformServerActionServer(input.code, ast as never, {
    runtime: (value, name) => `$$ReactServer.registerServerReference(${value}, ${JSON.stringify(referenceKey(input.id))}, ${JSON.stringify(name)})`,
    rejectNonAsyncFunction: true,
    encode: (value, name) => `__vite_rsc_encryption_runtime.encryptActionBoundArgs(${value}, ${JSON.stringify(`${referenceKey(input.id)}#${name}`)})`,
    decode: (value, name) => `await __vite_rsc_encryption_runtime.decryptActionBoundArgs(${value}, ${JSON.stringify(`${referenceKey(input.id)}#${name}`)})`,
  })
  if (result.output.hasChanged()) {
    result.output.toString()
    result.output.generateMap({ hires: 'boundary' })
  }
}

export function peerClient(input: BenchInput): void {
  if (!input.code.includes('use server')) return
  const ast = parseAst(input.code)
  const result = transformDirectiveProxyExport(ast as never, {
    code: input.code,
    runtime: (name) => `$$ReactClient.createServerReference(${JSON.stringify(`${referenceKey(input.id)}#${name}`)}, $$ReactClient.callServer, undefined, undefined, ${JSON.stringify(name)})`,
    directive: 'use server',
    rejectNonAsyncFunction: true,
  })
  if (result?.output.hasChanged()) {
    result.output.toString()
    result.output.generateMap({ hires: 'boundary' })
  }
}
