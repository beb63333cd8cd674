// prepack of a package whose dependencies name other workspace packages as `workspace:^`. Only pnpm
// writes those as version ranges when it packs: npm packs them as they are, and then refuses to install
// its own tarball (npm 11 exits 1 without a word). npm sets npm_execpath to itself for its scripts,
// whatever the environment says (npm_config_user_agent is inherited from a pnpm parent: no proof).
import { basename } from 'node:path'

const tool = basename(process.env.npm_execpath ?? '').replace(/(-cli)?\.c?js$/, '')
if (!tool.startsWith('pnpm')) {
  console.error(
    `use-server: pack and publish this package with pnpm (npx -y pnpm@10 pack, or publish), not ${tool || 'this tool'}: ` +
      'its dependencies on the other packages of the workspace are written "workspace:^", ' +
      'which only pnpm turns into version ranges.',
  )
  process.exit(1)
}
