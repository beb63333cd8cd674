/** One step of an issue's path: an object key or an array index. */
export type PathSegment = string | number

const PLAIN_KEY = /^[^.[\]]+$/

/**
 * The name of the field an issue's path points at, spelled as a form names its inputs: keys joined by
 * dots, indices in brackets (`address.city`, `tags[1]`, `rows[0].title`). A key that a dot would split
 * is written in brackets (`labels[en.US]`); the first key is written as it is, since a name the form
 * parser could not split (`a..b`) reached the schema as that one key.
 */
export function fieldName(path: readonly PathSegment[]): string {
  let name = ''
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!
    if (typeof segment === 'number') name += `[${segment}]`
    else if (i === 0) name = segment
    else name += PLAIN_KEY.test(segment) || segment.includes(']') ? `.${segment}` : `[${segment}]`
  }
  return name
}
