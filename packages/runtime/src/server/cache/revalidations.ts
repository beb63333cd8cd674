import { encodeBase64 } from '../../codec/base64.js'
import type { RequestContext } from '../context/requestContext.js'
import { pagePath } from '../../shared/pagePath.js'
import type { Revalidation } from './cacheStore.js'
import { currentStore } from './currentStore.js'
import { reportStoreError } from './reportStoreError.js'

/** What a request revalidated, with an id of its own, or undefined when it revalidated nothing. */
export function revalidationOf(context: RequestContext): Revalidation | undefined {
  const { tags, paths } = context.revalidated
  if (tags.size + paths.size === 0) return undefined
  const id = encodeBase64(crypto.getRandomValues(new Uint8Array(9))).replace(/\+/g, '-').replace(/\//g, '_')
  return { paths: [...paths], tags: [...tags], id }
}

/**
 * Drops the cached values a revalidation touches, on every instance, before anything reads them
 * again (the page's queries, run again in the same request). A store that fails is reported, and
 * the call goes on: its change is made, and this instance's own copies are gone either way.
 */
export async function invalidateCached({ tags, paths }: Revalidation): Promise<void> {
  try {
    await currentStore().invalidate({ tags, paths: paths.map(pagePath) })
  } catch (error) {
    reportStoreError('invalidate cached values', 'other instances may serve them until the store is back', error)
  }
}

/** Tells every instance, and the browsers connected to them, about a revalidation; failures are reported, never thrown. */
export function publishRevalidation(revalidation: Revalidation): void {
  currentStore()
    .publish(revalidation)
    .catch((error: unknown) => reportStoreError('publish a revalidation', 'browsers connected to other instances did not hear of it', error))
}
