import { describe, expect, test } from 'vitest'
import { isValidationError } from '../../shared/ValidationError.js'
import { convertForm, formDataToObject } from './formDataToObject.js'

function form(entries: Array<[string, string | File]>): FormData {
  const data = new FormData()
  for (const [name, value] of entries) data.append(name, value)
  return data
}
/** Compares by content (the objects have no prototype). */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value))
const emptyFileInput = () => new File([], '', { type: 'application/octet-stream' })

function refusal(data: FormData): string {
  try {
    formDataToObject(data)
  } catch (error) {
    if (!isValidationError(error)) throw error
    expect(error.issues).toHaveLength(1)
    expect(error.issues[0]!.path).toEqual([])
    return error.issues[0]!.message
  }
  throw new Error('the form was accepted')
}

describe('formDataToObject', () => {
  test('names nest by dots and brackets', () => {
    const input = formDataToObject(form([['title', 'Hi'], ['address.city', 'Paris'], ['address[zip]', '75001'], ['rows[0].title', 'a'], ['rows[1].title', 'b']]))
    expect(plain(input)).toEqual({ title: 'Hi', address: { city: 'Paris', zip: '75001' }, rows: [{ title: 'a' }, { title: 'b' }] })
  })

  test('a repeated name becomes a list in the order sent; name[] is a list even with one value', () => {
    expect(plain(formDataToObject(form([['tag', 'a'], ['tag', 'b'], ['tag', 'c']])))).toEqual({ tag: ['a', 'b', 'c'] })
    expect(plain(formDataToObject(form([['tag', 'a']])))).toEqual({ tag: 'a' })
    expect(plain(formDataToObject(form([['tags[]', 'a']])))).toEqual({ tags: ['a'] })
    expect(plain(formDataToObject(form([['tags[]', 'a'], ['tags[]', 'b']])))).toEqual({ tags: ['a', 'b'] })
    expect(plain(formDataToObject(form([['rows[0].tag', 'x'], ['rows[0].tag', 'y']])))).toEqual({ rows: [{ tag: ['x', 'y'] }] })
  })

  test('indices order a list and never size it', () => {
    expect(plain(formDataToObject(form([['a[10]', 'ten'], ['a[2]', 'two'], ['a[9]', 'nine']])))).toEqual({ a: ['two', 'nine', 'ten'] })
    const huge = formDataToObject(form([['a[999999999]', 'x']]))
    expect(huge.a).toEqual(['x'])
    expect((huge.a as unknown[]).length).toBe(1)
  })

  test('empty text becomes undefined (its key is there, for the schema’s own message), or stays with keepEmptyStrings', () => {
    const data = form([['title', ''], ['body', 'text'], ['tags', 'a'], ['tags', ''], ['tags', 'c']])
    const input = formDataToObject(data)
    expect(Object.entries(input)).toEqual([['title', undefined], ['body', 'text'], ['tags', ['a', undefined, 'c']]])
    expect(plain(formDataToObject(data, { keepEmptyStrings: true }))).toEqual({ title: '', body: 'text', tags: ['a', '', 'c'] })
  })

  test('checkboxes: checked sends its value ("on" by default), unchecked sends nothing', () => {
    expect(plain(formDataToObject(form([['agree', 'on']])))).toEqual({ agree: 'on' })
    expect(plain(formDataToObject(form([['name', 'x']])))).toEqual({ name: 'x' })
  })

  test('files stay Files; an empty file input is undefined; React’s hidden fields and nameless ones are skipped', () => {
    const photo = new File(['png'], 'photo.png', { type: 'image/png' })
    const input = formDataToObject(form([['photo', photo], ['other', emptyFileInput()], ['$ACTION_ID_abc', ''], ['$ACTION_KEY', 'k'], ['', 'nameless']]))
    expect(Object.entries(input).map(([key, value]) => [key, value === undefined])).toEqual([['photo', false], ['other', true]])
    expect(input.photo).toBeInstanceOf(File)
    expect((input.photo as File).name).toBe('photo.png')
  })

  test('values: what was sent, empty text kept, files never', () => {
    const data = form([['title', ''], ['photo', new File(['secret bytes'], 'a.txt')], ['gallery[]', new File(['x'], 'b.txt')], ['gallery[]', new File(['y'], 'c.txt')], ['tags', 'a']])
    const { values } = convertForm(data)
    expect(plain(values)).toEqual({ title: '', gallery: [null, null], tags: 'a' })
    expect(JSON.stringify(values)).not.toContain('secret')
    expect(Object.getPrototypeOf(values)).toBeNull()
  })

  test('redact leaves fields out of the values, by name, [] for any index, a group with all inside it', () => {
    const data = form([['user', 'ada'], ['password', 'hunter2'], ['cards[0].number', '4111'], ['cards[0].label', 'main'], ['cards[1].number', '5500'], ['card.number', '1'], ['card.cvc', '2']])
    const { values, input } = convertForm(data, { redact: ['password', 'cards[].number', 'card'] })
    expect(plain(values)).toEqual({ user: 'ada', cards: [{ label: 'main' }, {}] })
    expect(plain(input)).toMatchObject({ password: 'hunter2', card: { number: '1' } }) // the schema still gets them
    expect(plain(convertForm(data, { redact: ['cards[0].number'] }).values).cards).toEqual([{ label: 'main' }, {}])
  })

  test('the objects built have no prototype, and no name reaches Object.prototype', () => {
    const input = formDataToObject(form([['constructor.prototype.polluted', 'yes'], ['toString', 'x'], ['a.hasOwnProperty', 'y']]))
    expect(Object.getPrototypeOf(input)).toBeNull()
    expect(plain(input)).toEqual({ constructor: { prototype: { polluted: 'yes' } }, toString: 'x', a: { hasOwnProperty: 'y' } })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false)
  })

  test('a __proto__ segment anywhere refuses the form', () => {
    for (const name of ['__proto__', '__proto__.polluted', 'a.__proto__.polluted', 'a[__proto__][polluted]', 'a[0].__proto__']) {
      expect(refusal(form([['ok', '1'], [name, 'x']])), name).toMatch(/"__proto__" cannot be a key/)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test('a name used as a value and as a group, or as a list and as a group, refuses the form', () => {
    expect(refusal(form([['a', '1'], ['a.b', '2']]))).toBe('The form field "a.b" is not accepted: "a" is used in two ways at once (as a value, a list or a group of fields).')
    expect(refusal(form([['a.b', '2'], ['a', '1']]))).toMatch(/"a" is used in two ways/)
    expect(refusal(form([['a[0]', '1'], ['a.b', '2']]))).toMatch(/"a" is used in two ways/)
    expect(refusal(form([['a.b', '1'], ['a[]', '2']]))).toMatch(/"a" is used in two ways/)
    expect(refusal(form([['a[0]', '1'], ['a[0].b', '2']]))).toMatch(/"a\[0\]" is used in two ways/)
  })

  test('names deeper than maxDepth refuse the form; maxDepth is checked', () => {
    expect(refusal(form([['a' + '.a'.repeat(32), 'x']]))).toMatch(/more than 32 parts \(maxDepth\)/)
    expect(plain(formDataToObject(form([['a.b.c', 'x']]), { maxDepth: 3 }))).toEqual({ a: { b: { c: 'x' } } })
    expect(() => formDataToObject(form([]), { maxDepth: 0 })).toThrow(/maxDepth must be an integer from 1 to 256/)
    expect(() => formDataToObject(form([]), { maxDepth: 1.5 })).toThrow(/maxDepth/)
  })

  test('names that break the rules are keys as written', () => {
    const input = formDataToObject(form([['[]', 'a'], ['..', 'b'], ['a[', 'c'], [']', 'd'], ['[0]', 'e'], ['[]', 'f']]))
    expect(plain(input)).toEqual({ '[]': ['a', 'f'], '..': 'b', 'a[': 'c', ']': 'd', '[0]': 'e' })
  })

  test('long field names in messages are cut short', () => {
    const message = refusal(form([['a', '1'], ['a.' + 'x'.repeat(5000), '2']]))
    expect(message.length).toBeLessThan(250)
  })
})
