import type { DependencySets, LoadedData, RequestContext } from '../context/requestContext.js'
import type { CookieStore } from '../context/cookies.js'
import type { IncomingCall } from '../request/incomingCall.js'

/**
 * The context a `cached()` function runs in: it records what the value depends on (`cacheTag`,
 * `cachePath`), and refuses the request's cookies, headers and effects, since one cached value is
 * shared by every caller: a value that read one user's cookie would be served to the next.
 */
export class CacheScope implements RequestContext {
  readonly dependencies: DependencySets = { tags: new Set(), paths: new Set() }
  readonly cookiesUsed = false

  constructor(private readonly name: string) {}

  get incoming(): IncomingCall {
    throw this.#refuse('headers() and getRequest() read')
  }
  get cookies(): CookieStore {
    throw this.#refuse('cookies() reads')
  }
  get revalidated(): DependencySets {
    throw new Error(`use-server: revalidatePath()/revalidateTag() was called inside the cached function ${this.name}. A cached function reads data; revalidate in the function that changes it.`)
  }
  get loaded(): LoadedData {
    throw new Error(`use-server: loadQuery() was called inside the cached function ${this.name}. Load queries while the page renders, outside cached().`)
  }

  #refuse(what: string): Error {
    return new Error(
      `use-server: ${what} the current request, but ${this.name} is a cached() function: its value is shared by every caller, so it cannot depend on one request. Read the cookie or header outside, and pass what the value depends on as an argument (it becomes part of the cache key).`,
    )
  }
}
