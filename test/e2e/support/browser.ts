import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { onTestFailed } from 'vitest'
import { repoRoot } from '../../vite/support/fixtures.js'

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[]
export const screenshotDir = join(repoRoot, 'test-results/screenshots')

/** Debian's Chromium (installed by scripts/ensure-chromium.mjs); never a downloaded browser. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = CANDIDATES.find((path) => existsSync(path))
  if (!executablePath) throw new Error(`No Chromium found (looked at ${CANDIDATES.join(', ')}). Run \`node scripts/ensure-chromium.mjs\`, or set CHROMIUM_PATH.`)
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** A fresh page whose screenshot is saved to test-results/screenshots when the current test fails. */
export async function openPage(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  onTestFailed(async ({ task }) => {
    mkdirSync(screenshotDir, { recursive: true })
    const name = `${task.suite?.name ?? ''} ${task.name}`.replace(/[^a-z0-9]+/gi, '-').slice(0, 120)
    await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true }).catch(() => {})
    if (errors.length) console.error(`page errors in "${task.name}":\n${errors.join('\n')}`)
  })
  return { page, context }
}
