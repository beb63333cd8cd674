import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

// The npm packages `bun`, `deno`, `workerd` and `esbuild` (dev dependencies of this folder) carry their
// binaries in per-platform packages, which the package manager installs for this machine only. Their
// postinstall scripts (which pnpm does not run) would copy them; the binaries are taken from where they are.
const here = createRequire(import.meta.url)
const platform = `${process.platform}-${process.arch}`

const PLATFORM_PACKAGES: Record<'bun' | 'deno' | 'esbuild', Record<string, string>> = {
  bun: {
    'linux-x64': '@oven/bun-linux-x64/bin/bun',
    'linux-arm64': '@oven/bun-linux-aarch64/bin/bun',
    'darwin-x64': '@oven/bun-darwin-x64/bin/bun',
    'darwin-arm64': '@oven/bun-darwin-aarch64/bin/bun',
  },
  deno: {
    'linux-x64': '@deno/linux-x64-glibc/deno',
    'linux-arm64': '@deno/linux-arm64-glibc/deno',
    'darwin-x64': '@deno/darwin-x64/deno',
    'darwin-arm64': '@deno/darwin-arm64/deno',
  },
  esbuild: {
    'linux-x64': '@esbuild/linux-x64/bin/esbuild',
    'linux-arm64': '@esbuild/linux-arm64/bin/esbuild',
    'darwin-x64': '@esbuild/darwin-x64/bin/esbuild',
    'darwin-arm64': '@esbuild/darwin-arm64/bin/esbuild',
  },
}

/** The absolute path of a runtime's binary, or an error that says what is missing and how to get it. */
export function runtimeBinary(name: 'bun' | 'deno' | 'workerd' | 'esbuild'): string {
  let path: string | undefined
  try {
    if (name === 'workerd') path = (here('workerd') as { default: string }).default
    else {
      const inPackage = PLATFORM_PACKAGES[name][platform]
      if (!inPackage) throw new Error(`no ${name} build is listed for ${platform}`)
      const fromPackage = createRequire(here.resolve(`${name}/package.json`))
      const [scope, pkg, ...rest] = inPackage.split('/')
      path = join(dirname(fromPackage.resolve(`${scope}/${pkg}/package.json`)), ...rest)
    }
  } catch (error) {
    throw new Error(`The ${name} binary for ${platform} is not installed (${(error as Error).message}). Run \`npx -y pnpm@10 install\`: the npm package ${name} brings it.`)
  }
  if (!existsSync(path)) throw new Error(`The ${name} binary for ${platform} should be at ${path}, but is not. Run \`npx -y pnpm@10 install\`.`)
  return path
}
