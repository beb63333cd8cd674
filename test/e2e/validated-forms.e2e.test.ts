import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { copyFixture, repoRoot } from '../vite/support/fixtures.js'
import { run, startNodeServer, type RunningServer } from '../vite/support/processes.js'
import { launchChromium, openPage, screenshotDir } from './support/browser.js'

// fixtures/apps/validated-forms in Chromium, under the Vite dev server and from a production build,
// with JavaScript on and off: a sign-up form validated with Zod and a comment form validated with
// Valibot, each failing (errors shown, values put back, the password never) and then succeeding.

type Mode = 'development' | 'production'

describe.each(['development', 'production'] as Mode[])('validated forms, %s', (mode) => {
  const app = copyFixture('validated-forms')
  let browser: Browser
  let server: RunningServer

  beforeAll(async () => {
    const build = mode === 'production' ? run(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build'], app.root) : Promise.resolve('')
    ;[browser] = await Promise.all([launchChromium(), build])
    server = await startNodeServer('server.mjs', app.root, { NODE_ENV: mode, USE_SERVER_KEY: Buffer.alloc(32, 9).toString('base64') })
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    app.remove()
  })

  if (mode === 'production') {
    test('the schemas stay on the server: the client bundle has stubs, no Zod, no Valibot, no messages', () => {
      const assets = join(app.root, 'dist/client/assets')
      const client = readdirSync(assets).map((file) => readFileSync(join(assets, file), 'utf8')).join('\n')
      // booleans, not the bundle itself, in a failure message
      expect(/[`'"]signUp[`'"]/.test(client) && /[`'"]addComment[`'"]/.test(client)).toBe(true)
      for (const serverOnly of ['Tell us your name.', 'Who is writing?', 'ZodError', 'valibot', 'already signed up']) {
        expect(client.includes(serverOnly), serverOnly).toBe(false)
      }
    })
  }

  describe.each([true, false])('JavaScript on: %s', (javaScript) => {
    const tag = `${mode}-${javaScript ? 'js' : 'no-js'}`
    const shot = async (page: Page, step: string) => {
      mkdirSync(screenshotDir, { recursive: true })
      await page.screenshot({ path: join(screenshotDir, `validated-forms-${tag}-${step}.png`), fullPage: true })
    }
    async function open(): Promise<Page> {
      const { page } = await openPage(browser, { javaScriptEnabled: javaScript })
      await page.goto(`${server.origin}/`)
      if (javaScript) await page.locator('html[data-hydrated]').waitFor()
      return page
    }
    /** Submits with the button, then waits for what the submission leads to. */
    async function submit(page: Page, button: string, until: () => Promise<unknown>) {
      await page.getByRole('button', { name: button }).click()
      if (!javaScript) await page.waitForLoadState('load')
      await until()
    }
    const text = (page: Page, testId: string) => page.getByTestId(testId).textContent()
    const signUp = (page: Page) => page.getByRole('form', { name: 'Sign up' })

    test('sign-up (Zod): a failed submission shows every error and puts the values back, the password excepted', async () => {
      const page = await open()
      const form = signUp(page)
      await form.getByLabel('Name').fill('A')
      await form.getByLabel('Email').fill('not-an-email')
      await form.getByLabel('Age').fill('twelve')
      await form.getByLabel('vite').check()
      await form.getByLabel('Password').fill('short')
      await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true))
      await submit(page, 'Sign up', () => page.getByTestId('name-error').waitFor())
      // with JavaScript the page stays (a call, no navigation); without, a POST rendered the page anew
      expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage === true)).toBe(javaScript)
      expect(await text(page, 'name-error')).toBe('A name has at least 2 characters.')
      expect(await text(page, 'email-error')).toBe('That is not an email address.')
      expect(await text(page, 'age-error')).toBe('An age is a number.')
      expect(await text(page, 'terms-error')).toBe('Accept the terms to sign up.')
      expect(await text(page, 'password-error')).toBe('A password has at least 8 characters.')
      expect(await page.getByTestId('topics-error').count()).toBe(0)
      // what was typed is back in the inputs (without JavaScript: rendered from the form state)
      expect(await form.getByLabel('Name').inputValue()).toBe('A')
      expect(await form.getByLabel('Email').inputValue()).toBe('not-an-email')
      expect(await form.getByLabel('Age').inputValue()).toBe('twelve')
      expect(await form.getByLabel('vite').isChecked()).toBe(true)
      expect(await form.getByLabel('react').isChecked()).toBe(false)
      expect(await form.getByLabel('Password').inputValue()).toBe('')
      expect(await form.getByLabel('Email').getAttribute('aria-invalid')).toBe('true')
      expect(page.url()).toBe(`${server.origin}/`)
      expect(await page.content()).not.toContain('short')
      await shot(page, 'sign-up-failed')

      // no topic at all: the list's own message
      await form.getByLabel('vite').uncheck()
      await submit(page, 'Sign up', () => page.getByTestId('topics-error').waitFor())
      expect(await text(page, 'topics-error')).toBe('Pick at least one topic.')
    })

    test('sign-up (Zod): a good submission shows the result; the same address again is refused by the function', async () => {
      const email = `ada-${tag}@example.com`
      const fill = async (page: Page) => {
        const form = signUp(page)
        await form.getByLabel('Name').fill('  Ada  ')
        await form.getByLabel('Email').fill(email)
        await form.getByLabel('Age').fill('36')
        await form.getByLabel('react').check()
        await form.getByLabel('node').check()
        await form.getByLabel('I accept the terms').check()
        await form.getByLabel('Password').fill('correct horse')
      }
      const page = await open()
      await fill(page)
      await submit(page, 'Sign up', () => page.getByTestId('signup-done').waitFor())
      expect(await text(page, 'signup-done')).toBe('Welcome, Ada! You follow react, node.')
      await shot(page, 'sign-up-done')

      const again = await open()
      await fill(again)
      await submit(again, 'Sign up', () => again.getByTestId('email-error').waitFor())
      expect(await text(again, 'email-error')).toBe('That address has already signed up.')
      expect(await signUp(again).getByLabel('Name').inputValue()).toBe('  Ada  ')
    })

    test('comment (Valibot): nested names and a coerced select fail with their messages, then the comment is posted', async () => {
      const page = await open()
      const form = page.getByRole('form', { name: 'Comment' })
      await form.getByLabel('Comment').fill('Hi')
      await submit(page, 'Send comment', () => page.getByTestId('author-error').waitFor())
      expect(await text(page, 'author-error')).toBe('Who is writing?')
      expect(await text(page, 'text-error')).toBe('Write at least 3 characters.')
      expect(await text(page, 'rating-error')).toBe('Rate it from 1 to 5.')
      expect(await form.getByLabel('Comment').inputValue()).toBe('Hi')
      await shot(page, 'comment-failed')

      await form.getByLabel('Your name').fill(`Grace (${tag})`)
      await form.getByLabel('Comment').fill('Validated on the server.')
      await form.getByLabel('Rating').selectOption('4')
      await page.getByRole('button', { name: 'Send comment' }).click()
      await page.waitForURL(/\?commented$/)
      await page.getByTestId('comment-done').waitFor()
      expect(await page.getByTestId('comment').allTextContents()).toContain(`Grace (${tag}) (4/5): Validated on the server.`)
      await shot(page, 'comment-posted')
    })
  })
})
