import { pagePath } from '../../shared/pagePath.js'
import type { Dependencies } from '../../shared/protocol.js'
import { currentContext, runInContext, type DependencySets, type RequestContext } from './requestContext.js'

/**
 * Declares that what the current server function returns depends on `tags`: a call that runs
 * `revalidateTag(tag)` refreshes it, in the same response when the page shows it as a query.
 */
export function cacheTag(...tags: string[]): void {
  const { dependencies } = currentContext('cacheTag()')
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag === '') throw new TypeError(`cacheTag() takes non-empty strings, not ${JSON.stringify(tag)}.`)
    dependencies.tags.add(tag)
  }
}

/**
 * Declares that what the current server function returns belongs to the page at `paths`:
 * `revalidatePath(path)` refreshes it. A query always belongs to the page that shows it.
 */
export function cachePath(...paths: string[]): void {
  const { dependencies } = currentContext('cachePath()')
  for (const path of paths) {
    if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`cachePath() takes paths starting with "/", not ${JSON.stringify(path)}.`)
    dependencies.paths.add(pagePath(path))
  }
}

/** The sets as they travel. */
export function dependenciesOf({ tags, paths }: DependencySets): Dependencies {
  return { tags: [...tags], paths: [...paths] }
}

/**
 * Runs `fn` in the request's context with dependencies of its own: a query run again after a
 * mutation, or loaded for a page, declares what it depends on without mixing with its caller's.
 * Cookies, headers and revalidations stay the request's.
 */
export async function runWithOwnDependencies<T>(context: RequestContext, fn: () => T | Promise<T>): Promise<{ value: T; dependencies: Dependencies }> {
  const scope = new DependencyScope(context)
  const value = await runInContext(scope, fn)
  return { value, dependencies: dependenciesOf(scope.dependencies) }
}

/** A view of a request's context whose dependencies are its own. */
class DependencyScope implements RequestContext {
  readonly dependencies: DependencySets = { tags: new Set(), paths: new Set() }

  constructor(private readonly parent: RequestContext) {}

  get incoming() {
    return this.parent.incoming
  }
  get cookies() {
    return this.parent.cookies
  }
  get cookiesUsed() {
    return this.parent.cookiesUsed
  }
  get revalidated() {
    return this.parent.revalidated
  }
  get loaded() {
    return this.parent.loaded
  }
}
