import { fieldName } from '../../shared/fieldName.js'
import { ValidationError } from '../../shared/ValidationError.js'
import { APPEND, parseFieldName, TOO_DEEP, type NameSegment } from './parseFieldName.js'

export interface FormDataOptions {
  /**
   * Pass an empty text field to the schema as `''`. Default false: it becomes `undefined`, so an optional
   * field or a coercion (`z.coerce.number().optional()`) sees "nothing" rather than `''` (→ 0), and a
   * required one fails with the schema's own message.
   */
  keepEmptyStrings?: boolean
  /**
   * Fields whose value is never sent back in `values` (passwords, card numbers), by name as in field
   * errors; `[]` stands for any index (`users[].password`). A name covers the fields inside it. Default none.
   */
  redact?: readonly string[]
  /** Most segments in one field name (`rows[0].title` has three). Default 32. */
  maxDepth?: number
}

/** The schema's input, and what the form sent, to send back: files and redacted fields left out. */
export interface ConvertedForm {
  input: Record<string, unknown>
  values: Record<string, unknown>
}

// The tree is built from Maps, so no field name can reach an object's prototype while it is built;
// the objects made from it at the end have no prototype either.
class ObjectNode {
  readonly fields = new Map<string, FormNode>()
}
class ListNode {
  readonly items = new Map<number, FormNode>()
  /** Where APPEND and repeated names put the next element: one past the largest index so far. */
  next = 0
  /** Whether the indices came in increasing order (then the Map's order is the list's). */
  private inOrder = true
  private elements: FormNode[] | undefined

  put(index: number, node: FormNode): void {
    if (index < this.next - 1) this.inOrder = false
    this.items.set(index, node)
    if (index >= this.next) this.next = index + 1
  }

  /** The elements in index order: indices order a list, they do not size it (no holes, however large). */
  sorted(): FormNode[] {
    if (this.elements) return this.elements
    const entries = [...this.items]
    if (!this.inOrder) entries.sort((a, b) => a[0] - b[0])
    return (this.elements = entries.map(([, node]) => node))
  }
}
type FormNode = string | File | ObjectNode | ListNode

/** React's hidden fields (`$ACTION_ID_…`, `$ACTION_KEY`): never part of the input. */
const REACT_FIELD = '$ACTION_'
const DEFAULT_MAX_DEPTH = 32
const MAX_DEPTH_LIMIT = 256

/**
 * FormData → the object a schema validates (the README's "FormData becomes an object"): dotted and bracketed
 * names nest (`a.b`, `a[0]`, `a[key]`), a repeated name or `name[]` makes a list, indices order a list
 * and never size it (`a[5]` alone is a one-element list), empty text and an empty file input become
 * `undefined` (`keepEmptyStrings`), and values stay strings and Files for the schema to coerce. A name
 * with a `__proto__` segment, deeper than `maxDepth`, or that uses a field both as a value and as a
 * parent (`a` and `a.b`) makes the whole form invalid: a ValidationError, before the schema runs.
 */
export function formDataToObject(form: FormData, options: FormDataOptions = {}): Record<string, unknown> {
  return convertForm(form, options).input
}

export function convertForm(form: FormData, options: FormDataOptions = {}): ConvertedForm {
  const maxDepth = depthLimit(options.maxDepth)
  const root = new ObjectNode()
  for (const [name, value] of form) {
    if (name === '' || name.startsWith(REACT_FIELD)) continue
    const parsed = parseFieldName(name, maxDepth)
    if (parsed === TOO_DEEP) throw refuse(name, `it has more than ${maxDepth} parts (maxDepth)`)
    place(root, parsed ?? [name], value, name)
  }
  const redact = options.redact?.length ? new Set(options.redact.map((n) => n.replace(/\[\d+\]/g, '[]'))) : undefined
  const input = inputOf(root, options.keepEmptyStrings !== true) as Record<string, unknown>
  return { input, values: valuesOf(root, redact, '') as Record<string, unknown> }
}

function place(root: ObjectNode, path: NameSegment[], value: string | File, name: string): void {
  let parent: ObjectNode | ListNode = root
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!
    if (typeof segment === 'string' && segment === '__proto__') throw refuse(name, '"__proto__" cannot be a key')
    if (i === path.length - 1) return setLeaf(parent, segment, value, name)
    const existing = get(parent, segment)
    const wantList = typeof path[i + 1] === 'number'
    if (existing === undefined) {
      const child = wantList ? new ListNode() : new ObjectNode()
      set(parent, segment, child)
      parent = child
    } else if (wantList ? existing instanceof ListNode : existing instanceof ObjectNode) {
      parent = existing as ObjectNode | ListNode
    } else {
      throw conflict(name, path.slice(0, i + 1))
    }
  }
}

function setLeaf(parent: ObjectNode | ListNode, segment: NameSegment, value: string | File, name: string): void {
  if (segment === APPEND) {
    if (!(parent instanceof ListNode)) throw conflict(name, [])
    parent.put(parent.next, value)
    return
  }
  const existing = get(parent, segment)
  if (existing === undefined) return set(parent, segment, value)
  if (existing instanceof ObjectNode) throw conflict(name, [segment])
  if (existing instanceof ListNode) return existing.put(existing.next, value)
  // The same name again: its values become a list, in the order sent.
  const list = new ListNode()
  list.put(0, existing)
  list.put(1, value)
  set(parent, segment, list)
}

function get(parent: ObjectNode | ListNode, segment: NameSegment): FormNode | undefined {
  if (parent instanceof ObjectNode) return typeof segment === 'string' ? parent.fields.get(segment) : undefined
  return typeof segment === 'number' ? parent.items.get(segment) : undefined
}

/** Only called where `get` found nothing, so the segment's kind matches the parent's (or it is a conflict). */
function set(parent: ObjectNode | ListNode, segment: NameSegment, node: FormNode): void {
  if (parent instanceof ObjectNode) {
    if (typeof segment !== 'string') throw new TypeError('unreachable: an index under an object')
    parent.fields.set(segment, node)
  } else {
    if (typeof segment !== 'number') throw new TypeError('unreachable: a key under a list')
    parent.put(segment, node)
  }
}

/** A file input left empty sends a nameless, empty file. */
function isEmpty(file: File): boolean {
  return file.size === 0 && file.name === ''
}

function inputOf(node: FormNode, emptyIsUndefined: boolean): unknown {
  if (node === '') return emptyIsUndefined ? undefined : ''
  if (node instanceof File) return isEmpty(node) ? undefined : node
  if (typeof node === 'string') return node
  if (node instanceof ObjectNode) {
    const object: Record<string, unknown> = Object.create(null)
    for (const [key, child] of node.fields) object[key] = inputOf(child, emptyIsUndefined)
    return object
  }
  return node.sorted().map((child) => inputOf(child, emptyIsUndefined))
}

function valuesOf(node: FormNode, redact: ReadonlySet<string> | undefined, name: string): unknown {
  if (typeof node === 'string' || node instanceof File) return node
  if (node instanceof ObjectNode) {
    const object: Record<string, unknown> = Object.create(null)
    for (const [key, child] of node.fields) {
      if (child instanceof File) continue
      const childName = redact ? (name === '' ? key : `${name}.${key}`) : ''
      if (redact?.has(childName)) continue
      object[key] = valuesOf(child, redact, childName)
    }
    return object
  }
  const childName = redact ? `${name}[]` : ''
  if (redact?.has(childName)) return undefined
  return node.sorted().map((child) => (child instanceof File ? undefined : valuesOf(child, redact, childName)))
}

/** Throws a TypeError naming the option that is wrong, so a mistake shows where the function is declared. */
export function checkFormDataOptions(options: FormDataOptions): void {
  depthLimit(options.maxDepth)
  if (options.keepEmptyStrings !== undefined && typeof options.keepEmptyStrings !== 'boolean') {
    throw new TypeError(`use-server: keepEmptyStrings is true or false, not ${JSON.stringify(options.keepEmptyStrings)}.`)
  }
  if (options.redact !== undefined && !(Array.isArray(options.redact) && options.redact.every((name) => typeof name === 'string'))) {
    throw new TypeError('use-server: redact is a list of field names.')
  }
}

function depthLimit(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_DEPTH
  if (!Number.isInteger(value) || value < 1 || value > MAX_DEPTH_LIMIT) {
    throw new TypeError(`use-server: maxDepth must be an integer from 1 to ${MAX_DEPTH_LIMIT}, not ${String(value)}.`)
  }
  return value
}

function refuse(name: string, why: string): ValidationError {
  return new ValidationError([{ message: `The form field ${quote(name)} is not accepted: ${why}.`, path: [] }])
}

/** `at`: the path of the field that other names use in another way. */
function conflict(name: string, at: NameSegment[]): ValidationError {
  const where = at.length ? `${quote(fieldName(at))} is` : 'fields are'
  return refuse(name, `${where} used in two ways at once (as a value, a list or a group of fields)`)
}

function quote(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name)
}
