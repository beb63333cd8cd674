import { useEffect, useRef, useState } from 'react'

export interface RevalidationFilter {
  /** Refetch when a server function calls `revalidatePath` with one of these paths. */
  paths?: string[]
  /** Refetch when a server function calls `revalidateTag` with one of these tags. */
  tags?: string[]
}

/**
 * A value loaded by a server function, kept fresh: it starts from `initial` (what the server
 * rendered) and calls `load` again whenever a server function revalidates one of the given paths
 * or tags, so a list updates after a create or delete without reloading the page.
 */
export function useRevalidatedValue<T>(load: () => Promise<T>, initial: T, on: RevalidationFilter): T {
  const [value, setValue] = useState(initial)
  const latest = useRef({ load, on })
  latest.current = { load, on }
  useEffect(() => {
    let generation = 0
    const listener = (event: Event) => {
      const { paths, tags } = (event as CustomEvent<{ paths: string[]; tags: string[] }>).detail
      const { on, load } = latest.current
      if (!paths.some((path) => on.paths?.includes(path)) && !tags.some((tag) => on.tags?.includes(tag))) return
      // Only the newest refetch may set the value.
      const current = ++generation
      load().then((next) => current === generation && setValue(() => next))
    }
    addEventListener('use-server:revalidate', listener)
    return () => removeEventListener('use-server:revalidate', listener)
  }, [])
  return value
}
