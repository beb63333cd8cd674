import { transformServerFunctions } from '@use-server/transform'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchChromium, openPage, screenshotDir } from './support/browser.js'
import { demoRoot, startDemo, type Mode } from './support/demoServer.js'

// The demo (examples/posts) in a real Chromium, against the dev server and the production build,
// with JavaScript on and off: every behaviour of Next.js' "Updating data" page.

const modes: Mode[] = ['development', 'production']

describe.each(modes)('posts demo, %s', (mode) => {
  let browser: Browser
  let demo: Awaited<ReturnType<typeof startDemo>>
  beforeAll(async () => {
    ;[browser, demo] = await Promise.all([launchChromium(), startDemo(mode)])
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await demo?.stop()
  })

  const url = (path: string) => `${demo.origin}${path}`
  /** Loads a page and, with JavaScript, waits until React has hydrated it (the app marks `<html data-hydrated>`). */
  async function open(path: string, options: { javaScriptEnabled?: boolean } = {}) {
    const { page } = await openPage(browser, options)
    await page.goto(url(path))
    if (options.javaScriptEnabled !== false) await page.locator('html[data-hydrated]').waitFor()
    return page
  }
  const postTitles = (page: Page) => page.getByTestId('post').locator('a').allTextContents()
  /** Creates a post through the form, so that a test has one of its own to delete. */
  async function addPost(title: string) {
    const page = await open('/posts')
    await page.getByLabel('Title').fill(title)
    await page.getByRole('button', { name: 'Create post' }).click()
    await page.waitForURL(/\/posts\/\d+$/)
    await page.close()
  }
  /**
   * The calls the page makes from now on (requests to the functions' endpoint, the revalidation stream
   * aside); `settled()` waits until none is in flight and none started for half a second (the open
   * stream keeps Playwright's 'networkidle' from ever coming).
   */
  const countCalls = (page: Page) => {
    const calls: string[] = []
    const inFlight = new Set<Request>()
    let lastActivity = Date.now()
    const callPath = (request: Request) => {
      const path = new URL(request.url()).pathname
      return path.startsWith('/_server/') && path !== '/_server/$events' ? path : undefined
    }
    const ended = (request: Request) => void (inFlight.delete(request) && (lastActivity = Date.now()))
    page.on('request', (request) => {
      const path = callPath(request)
      if (path) calls.push(path), inFlight.add(request), (lastActivity = Date.now())
    })
    page.on('requestfinished', ended)
    page.on('requestfailed', ended)
    const settled = () => expect.poll(() => inFlight.size === 0 && Date.now() - lastActivity >= 500, { timeout: 10_000 }).toBe(true)
    return Object.assign(() => [...calls], { settled })
  }

  describe('with JavaScript', () => {
    test('createPost: <form action> creates the post, revalidates and redirects to it', async () => {
      const page = await open('/posts')
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      await page.getByLabel('Title').fill('Written in the browser')
      await page.getByRole('button', { name: 'Create post' }).click()
      await page.waitForURL(/\/posts\/\d+$/)
      await expect.poll(() => page.getByTestId('post-title').textContent()).toBe('Written in the browser')
      // the form never rendered a state for the page it was leaving (it used to blank the page)
      expect(errors).toEqual([])
    })

    test('useActionState: a validation error comes back as state, and the button shows it is pending', async () => {
      const page = await open('/posts')
      // hold the call back a little, to see the pending state
      await page.route('**/_server/**', async (route) => {
        await new Promise((r) => setTimeout(r, 400))
        await route.continue()
      })
      await page.getByRole('button', { name: 'Create post' }).click()
      await expect.poll(() => page.getByTestId('create-pending').count()).toBe(1)
      await expect.poll(() => page.locator('form.create button[type=submit]').isDisabled()).toBe(true)
      await expect.poll(() => page.getByTestId('title-error').textContent()).toBe('A post needs a title.')
      // a second submission: while it is pending, the old error steps aside
      await page.getByRole('button', { name: 'Create post' }).click()
      await expect.poll(() => page.getByTestId('create-pending').count()).toBe(1)
      expect(await page.getByTestId('title-error').count()).toBe(0)
      await expect.poll(() => page.getByTestId('title-error').textContent()).toBe('A post needs a title.')
      expect(page.url()).toBe(url('/posts'))
    })

    test('deletePost: <button formAction> deletes, and the list updates without a reload (revalidatePath)', async () => {
      const page = await open('/posts')
      await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true))
      const before = await postTitles(page)
      const victim = before[0]!
      await page.getByRole('button', { name: `Delete ${victim}` }).click()
      await expect.poll(() => postTitles(page)).toEqual(before.slice(1))
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true)
    })

    test('the list the server rendered is the query the page shows: no request when it hydrates', async () => {
      const { page } = await openPage(browser)
      const calls = countCalls(page)
      await page.goto(url('/posts'))
      await page.locator('html[data-hydrated]').waitFor()
      await calls.settled()
      expect((await postTitles(page)).length).toBeGreaterThan(0)
      expect(calls()).toEqual([])
    })

    test('delete costs exactly one request: the fresh list comes back in its answer (single flight)', async () => {
      await addPost('Deleted in one round trip')
      const page = await open('/posts')
      const before = await postTitles(page)
      const calls = countCalls(page)
      await page.getByRole('button', { name: 'Delete Deleted in one round trip' }).click()
      await expect.poll(() => postTitles(page)).toEqual(before.filter((title) => title !== 'Deleted in one round trip'))
      await calls.settled()
      expect(calls()).toHaveLength(1)
    })

    test('rename costs exactly one request: the heading and the input show the new title', async () => {
      const page = await open('/posts/1')
      const calls = countCalls(page)
      await page.getByLabel('New title').fill('Renamed in one round trip')
      await page.getByRole('button', { name: 'Rename' }).click()
      await expect.poll(() => page.getByTestId('post-title').textContent()).toBe('Renamed in one round trip')
      await expect.poll(() => page.getByLabel('New title').inputValue()).toBe('Renamed in one round trip')
      await calls.settled()
      expect(calls()).toHaveLength(1)
    })

    test('another tab of the page follows: a delete in one tab refreshes the list in the other', async () => {
      await addPost('Deleted in another tab')
      const { context, page: first } = await openPage(browser)
      await first.goto(url('/posts'))
      await first.locator('html[data-hydrated]').waitFor()
      const second = await context.newPage()
      await second.goto(url('/posts'))
      await second.locator('html[data-hydrated]').waitFor()
      const before = await postTitles(second)
      await first.getByRole('button', { name: 'Delete Deleted in another tab' }).click()
      await expect.poll(() => postTitles(second)).toEqual(before.filter((title) => title !== 'Deleted in another tab'))
    })

    test('another person follows: a post created in one browser shows in another, pushed, in one request', async () => {
      const other = await openPage(browser) // a context of its own: no BroadcastChannel between the two
      const stream = other.page.waitForResponse((response) => new URL(response.url()).pathname === '/_server/$events')
      await other.page.goto(url('/posts'))
      await other.page.locator('html[data-hydrated]').waitFor()
      expect((await stream).headers()['content-type']).toMatch(/^text\/event-stream/)
      const calls = countCalls(other.page)
      await addPost('Pushed to another browser')
      await expect.poll(() => postTitles(other.page)).toContain('Pushed to another browser')
      await calls.settled()
      expect(calls()).toEqual(['/_server/$refresh'])
      await other.context.close()
    })

    test('LikeButton: onClick calls the server function and shows the returned count', async () => {
      const page = await open('/posts/1')
      await expect.poll(() => page.getByTestId('likes').textContent()).toBe('Total Likes: 0')
      await page.getByRole('button', { name: 'Like' }).click()
      await expect.poll(() => page.getByTestId('likes').textContent()).toBe('Total Likes: 1')
      await page.getByRole('button', { name: 'Like' }).click()
      await expect.poll(() => page.getByTestId('likes').textContent()).toBe('Total Likes: 2')
    })

    test('ViewCount: useEffect + startTransition counts a view on mount', async () => {
      const page = await open('/posts/1')
      const first = Number((await page.getByTestId('views').textContent())!.replace(/\D/g, ''))
      await expect.poll(async () => Number((await page.getByTestId('views').textContent())!.replace(/\D/g, ''))).toBeGreaterThanOrEqual(1)
      const again = await open('/posts/1')
      await expect.poll(async () => Number((await again.getByTestId('views').textContent())!.replace(/\D/g, ''))).toBeGreaterThan(first)
    })

    test('an inline server function from a server loader, passed as a prop, renames its own post', async () => {
      const page = await open('/posts/1')
      await page.getByLabel('New title').fill('Renamed by a bound action')
      await page.getByRole('button', { name: 'Rename' }).click()
      await expect.poll(() => page.getByTestId('rename-message').textContent()).toBe('Renamed to “Renamed by a bound action”.')
      const reloaded = await open('/posts/1')
      expect(await reloaded.getByTestId('post-title').textContent()).toBe('Renamed by a bound action')
    })

    test('cookies(): a preference set through a server function shows at once and on every page', async () => {
      const page = await open('/settings')
      await page.getByLabel('Display name').fill('Ada')
      await page.getByLabel('Theme').selectOption('dark')
      await page.getByRole('button', { name: 'Save' }).click()
      await expect.poll(() => page.getByTestId('settings-message').textContent()).toBe('Preferences saved.')
      await expect.poll(() => page.getByTestId('greeting').textContent()).toBe('Hello, Ada')
      expect(await page.locator('.app').getAttribute('data-theme')).toBe('dark')
      // the select shows what was saved, and saving again keeps it
      expect(await page.getByLabel('Theme').inputValue()).toBe('dark')
      await page.getByRole('button', { name: 'Save' }).click()
      await expect.poll(() => page.locator('.app').getAttribute('data-theme')).toBe('dark')
      expect(await page.getByLabel('Theme').inputValue()).toBe('dark')
      const cookies = await page.context().cookies()
      expect(cookies.find((c) => c.name === 'display-name')).toMatchObject({ value: 'Ada', httpOnly: true })
      await page.goto(url('/posts'))
      expect(await page.getByTestId('greeting').textContent()).toBe('Hello, Ada')
    })

    test('a thrown error reaches the error boundary', async () => {
      const page = await open('/posts')
      await page.getByRole('button', { name: 'Archive all posts' }).click()
      const boundary = page.getByTestId('error-boundary')
      await expect.poll(() => boundary.count()).toBe(1)
      const text = await boundary.textContent()
      if (mode === 'development') expect(text).toContain('The archive service is not available right now.')
      else {
        expect(text).toMatch(/Look for digest [0-9a-f]{10} in the server logs\./)
        expect(text!.match(/digest/g)).toHaveLength(1)
      }
    })

    test('a form submitted before hydration finishes still works', async () => {
      const { page } = await openPage(browser)
      // hold the client entry back: the page is server-rendered HTML only while the form is submitted
      let release!: () => void
      const held = new Promise<void>((r) => (release = r))
      await page.route(/entry-client|\/assets\/index-.*\.js/, async (route) => {
        await held
        await route.continue()
      })
      // not 'domcontentloaded': that waits for the (held) module script to run
      await page.goto(url('/posts'), { waitUntil: 'commit' })
      await page.getByLabel('Title').fill('Posted before hydration')
      expect(await page.locator('html[data-hydrated]').count()).toBe(0)
      await page.getByRole('button', { name: 'Create post' }).click()
      await page.waitForURL(/\/posts\/\d+$/, { waitUntil: 'commit' })
      release()
      await expect.poll(() => page.getByTestId('post-title').textContent()).toBe('Posted before hydration')
    })
  })

  describe('without JavaScript', () => {
    const noJs = { javaScriptEnabled: false }

    test('create: the form posts, and the redirect lands on the new post', async () => {
      const page = await open('/posts', noJs)
      await page.getByLabel('Title').fill('Posted without JavaScript')
      await page.getByRole('button', { name: 'Create post' }).click()
      await page.waitForURL(/\/posts\/\d+$/)
      expect(await page.getByTestId('post-title').textContent()).toBe('Posted without JavaScript')
    })

    test('delete: the button’s formAction posts, and the page comes back without the post', async () => {
      const page = await open('/posts', noJs)
      const before = await postTitles(page)
      await page.getByRole('button', { name: `Delete ${before[0]}` }).click()
      await page.waitForLoadState('load')
      expect(await postTitles(page)).toEqual(before.slice(1))
    })

    test('useActionState: the page shows the state the function returned', async () => {
      const page = await open('/posts', noJs)
      await page.getByRole('button', { name: 'Create post' }).click()
      await page.waitForLoadState('load')
      expect(await page.getByTestId('title-error').textContent()).toBe('A post needs a title.')
      const settings = await open('/settings', noJs)
      await settings.getByLabel('Display name').fill('Grace')
      await settings.getByRole('button', { name: 'Save' }).click()
      await settings.waitForLoadState('load')
      expect(await settings.getByTestId('settings-message').textContent()).toBe('Preferences saved.')
      expect(await settings.getByTestId('greeting').textContent()).toBe('Hello, Grace')
    })

    test('a bound inline action works as a plain form too', async () => {
      const page = await open('/posts/1', noJs)
      await page.getByLabel('New title').fill('Renamed without JavaScript')
      await page.getByRole('button', { name: 'Rename' }).click()
      await page.waitForLoadState('load')
      expect(await page.getByTestId('rename-message').textContent()).toBe('Renamed to “Renamed without JavaScript”.')
    })
  })

  // Kept as CI artifacts (test-results/screenshots) for a person to look at: every page, with
  // JavaScript on and off, in the light and the dark theme, and a form showing its field errors.
  test.each(['light', 'dark'] as const)('screenshots of every page, %s theme', async (theme) => {
    mkdirSync(screenshotDir, { recursive: true })
    for (const javaScriptEnabled of [true, false]) {
      const { page, context } = await openPage(browser, { javaScriptEnabled })
      await context.addCookies([{ name: 'theme', value: theme, url: demo.origin }])
      const shot = async (name: string) => {
        if (javaScriptEnabled) await page.locator('html[data-hydrated]').waitFor()
        await page.screenshot({ path: join(screenshotDir, `demo-${mode}-${name}-${javaScriptEnabled ? 'js' : 'no-js'}-${theme}.png`), fullPage: true })
      }
      for (const [name, path] of [['posts', '/posts'], ['post', '/posts/1'], ['settings', '/settings'], ['not-found', '/nowhere']]) {
        await page.goto(url(path!))
        expect(await page.locator('.app').getAttribute('data-theme')).toBe(theme)
        await shot(name!)
      }
      await page.goto(url('/posts'))
      if (javaScriptEnabled) await page.locator('html[data-hydrated]').waitFor()
      await page.getByRole('button', { name: 'Create post' }).click()
      await page.getByTestId('title-error').waitFor()
      await shot('posts-field-error')
      await context.close()
    }
  })

  describe('hostile arguments', () => {
    /** The id of a function of the demo, as its build names it. */
    const idOf = (file: string, name: string) => {
      const path = join(demoRoot, file)
      const { functions } = transformServerFunctions(readFileSync(path, 'utf8'), path, { target: 'server', root: demoRoot })!
      return functions.find((f) => (f.displayName ?? f.exportName) === name)!.id
    }
    // The dev server knows a function once a page has loaded its module.
    beforeAll(async () => {
      for (const path of ['/posts', '/settings']) await (await fetch(url(path))).text()
    })
    const call = async (file: string, name: string, payload: string) => {
      const response = await fetch(url(`/_server/${idOf(file, name)}`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload })
      return { status: response.status, text: await response.text() }
    }

    // The functions once trusted their TypeScript types: an object for a post id failed in SQLite, a
    // missing form in `formData.get`; each was a 500 and an error in the log. Their schemas now answer.
    test.each([
      ['likePost with an object for the id', 'src/actions/posts.ts', 'likePost', '[[1],{}]'],
      ['incrementViews with a string for the id', 'src/actions/posts.ts', 'incrementViews', '[[1],"1"]'],
      ['incrementViews with a fraction for the id', 'src/actions/posts.ts', 'incrementViews', '[[1],1.5]'],
      ['deletePost with a number for the form', 'src/actions/posts.ts', 'deletePost', '[[1],7]'],
    ])('%s: a 422 with the issue', async (_, file, name, payload) => {
      expect(await call(file, name, payload)).toEqual({ status: 422, text: expect.stringMatching(/"VALIDATION".*expected|expected.*"VALIDATION"/) })
    })

    test.each([
      ['createPost without a form', 'src/actions/posts.ts', 'createPost', '[[-1,-1]]'],
      ['savePreferences with a string for the form', 'src/actions/preferences.ts', 'savePreferences', '[[-1,1],"theme=dark"]'],
    ])('%s: the form state says why, and nothing is saved', async (_, file, name, payload) => {
      const { status, text } = await call(file, name, payload)
      expect(status).toBe(200)
      expect(text).toMatch(/"ok".*false/)
      expect(text).toContain('expected object')
    })

    test('a form posted without JavaScript that names createPost without its previous state: the page says why, with a 400', async () => {
      const response = await fetch(url('/posts'), { method: 'POST', body: new URLSearchParams({ [`$ACTION_ID_${idOf('src/actions/posts.ts', 'createPost')}`]: '', title: 'x' }) })
      expect({ status: response.status, text: await response.text() }).toEqual({ status: 400, text: expect.stringContaining('validatedState() function was called with a FormData') })
      // none of these refusals reached the log as a failure (archiveAllPosts fails there on purpose)
      expect(demo.output()).not.toMatch(/server function "(likePost|incrementViews|createPost|deletePost|savePreferences)" \([\w-]+\) failed/)
    })
  })
})

