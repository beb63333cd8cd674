// The types a form works with on both sides: field names, field errors, the values sent back, and the
// state a validated function hands to useActionState. Types only: nothing here reaches a bundle.

type Leaf = string | number | boolean | bigint | symbol | null | undefined | Date | Blob | ((...args: never[]) => unknown)
type Deeper = [0, 1, 2, 3, 4, 5, 6]

/** `.key…` and `[n]…`: how the fields inside a value of type T continue a name (6 levels, then any). */
type NameTail<T, Depth extends number> = Depth extends 6
  ? string
  : unknown extends T
    ? string
    : T extends Leaf
      ? never
      : T extends readonly (infer Item)[]
        ? `[${number}]` | `[${number}]${NameTail<Item, Deeper[Depth]>}`
        : { [K in keyof T & (string | number)]-?: `.${K}` | `.${K}${NameTail<T[K], Deeper[Depth]>}` }[keyof T & (string | number)]

type WithoutLeadingDot<Name> = Name extends `.${infer Rest}` ? Rest : Name

/**
 * The names of the fields of an input type, as field errors are keyed and forms name inputs:
 * `title`, `address.city`, `tags[${number}]`. Any string when the type says nothing (unknown, any).
 */
export type FieldName<Input> = unknown extends Input ? string : WithoutLeadingDot<NameTail<Input, 0>>

/** Messages by field name (`title`, `address.city`, `rows[0].title`), in the order the schema reported them. */
export type FieldErrors<Input = unknown> = { [Name in FieldName<Input>]?: string[] }

/**
 * What a form sent, shaped like the input (files and redacted fields left out): text where the input
 * has a value (the schema coerces it), lists for lists. For `defaultValue` and `defaultChecked`.
 */
export type SubmittedValues<Input, Depth extends number = 0> = Depth extends 6
  ? any
  : unknown extends Input
    ? any
    : Input extends Blob
      ? never
      : Input extends Leaf
        ? string
        : Input extends readonly (infer Item)[]
          ? SubmittedValues<Item, Deeper[Depth]>[]
          : { [K in keyof Input]?: SubmittedValues<Exclude<Input[K], undefined | null>, Deeper[Depth]> }

/**
 * The state of a form whose function is `validatedState(…)`, for `useActionState`: start it with `{}`.
 * After a submission, `ok` says how it went: `data` holds what the function returned, or `fieldErrors`,
 * `formErrors` and `values` (what the form sent, to put back in its inputs) say what to fix.
 */
export interface FormState<Input = unknown, Data = unknown> {
  ok?: boolean
  /** The function's result, after a submission that passed validation. */
  data?: Data
  /** Messages by field name, after a submission that did not. */
  fieldErrors?: FieldErrors<Input>
  /** Messages about the form as a whole (issues without a path). */
  formErrors?: string[]
  /** What the form sent, files and redacted fields left out. */
  values?: SubmittedValues<Input>
}
