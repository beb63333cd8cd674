const { getOwnPropertyNames } = Object

/**
 * Whether neither Array.prototype nor Object.prototype has an index of its own, enumerable or not (a
 * non-enumerable one is not counted by `Object.keys`): every array reads a missing entry (a hole) from
 * them, and an assignment to one runs a setter there. The codec's fast paths rely on this; devalue's
 * own walks read what the prototypes hold, and decide where it is not so.
 */
export function noInheritedIndex(): boolean {
  // Array.prototype is an array: an index defined on it raised its length (which stays once the index is
  // deleted), and listing its names costs ~1 µs.
  return (Array.prototype.length === 0 || noIndexName(Array.prototype)) && noIndexName(Object.prototype)
}

/** Whether none of `object`'s own names begins with a digit, as every index does. */
function noIndexName(object: object): boolean {
  const names = getOwnPropertyNames(object)
  for (let i = 0; i < names.length; i++) {
    const first = names[i]!.charCodeAt(0)
    if (first >= 48 && first <= 57) return false
  }
  return true
}
