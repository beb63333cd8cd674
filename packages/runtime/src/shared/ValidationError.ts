import type { StandardSchemaV1 } from '@standard-schema/spec'
import { fieldName, type PathSegment } from './fieldName.js'
import type { FieldErrors, SubmittedValues } from './formTypes.js'
import { isServerFunctionError, ServerFunctionError } from './ServerFunctionError.js'

/** Marks a ValidationError, from any copy of the runtime, or rebuilt by the client from an answer. */
export const VALIDATION_BRAND = Symbol.for('use-server.validation-error')

/** One problem with an input: what is wrong, and where (empty path: the input as a whole). */
export interface ValidationIssue {
  readonly message: string
  readonly path: readonly PathSegment[]
}

/** Most issues one error keeps: a hostile list of a million empty rows must not make a million messages. */
export const MAX_ISSUES = 1000

/**
 * An input that did not pass its schema. Thrown by `validated()` functions (and by app code, for checks
 * a schema cannot make, such as "this title is taken"); a caller in the browser gets one back with the
 * same issues. `fieldErrors` and `formErrors` are the issues by field name, as a form shows them;
 * `values` is what a form sent (files and redacted fields left out), on the server only.
 */
export class ValidationError<Input = unknown> extends ServerFunctionError {
  override name = 'ValidationError'
  readonly [VALIDATION_BRAND] = true
  readonly issues: readonly ValidationIssue[]
  readonly fieldErrors: FieldErrors<Input>
  readonly formErrors: string[]
  readonly values: SubmittedValues<Input> | undefined

  constructor(
    issues: ReadonlyArray<StandardSchemaV1.Issue | ValidationIssue>,
    options: { message?: string; values?: SubmittedValues<Input>; status?: number } = {},
  ) {
    const normalized = issues.slice(0, MAX_ISSUES).map(normalizeIssue)
    super(options.message ?? summarize(normalized, issues.length), { code: 'VALIDATION', status: options.status ?? 422 })
    this.issues = normalized
    this.values = options.values
    const fieldErrors: Record<string, string[]> = Object.create(null)
    const formErrors: string[] = []
    for (const { message, path } of normalized) {
      if (path.length === 0) formErrors.push(message)
      else (fieldErrors[fieldName(path)] ??= []).push(message)
    }
    this.fieldErrors = fieldErrors as FieldErrors<Input>
    this.formErrors = formErrors
  }
}

/** Whether `error` is a ValidationError, from this copy of the runtime or another. */
export function isValidationError(error: unknown): error is ValidationError {
  if (typeof error !== 'object' || error === null) return false
  // Thrown on the server it has the brand; received by a client, it is a ServerFunctionError with the issues.
  return (error as Record<symbol, unknown>)[VALIDATION_BRAND] === true || (isServerFunctionError(error) && error.code === 'VALIDATION' && Array.isArray((error as Partial<ValidationError>).issues))
}

/** A Standard Schema issue as plain data: a string message, a path of keys and indices. */
function normalizeIssue(issue: StandardSchemaV1.Issue | ValidationIssue): ValidationIssue {
  const message = typeof issue.message === 'string' && issue.message !== '' ? issue.message : 'Invalid value'
  const path: PathSegment[] = []
  for (const step of issue.path ?? []) {
    const key = typeof step === 'object' && step !== null ? step.key : step
    path.push(typeof key === 'number' ? key : typeof key === 'symbol' ? String(key.description) : String(key))
  }
  return { message, path }
}

function summarize(issues: readonly ValidationIssue[], total: number): string {
  if (issues.length === 0) return 'The input is not valid.'
  const [{ message, path }] = issues as [ValidationIssue]
  const first = path.length ? `${fieldName(path)}: ${message}` : message
  return total > 1 ? `${first} (and ${total - 1} more ${total === 2 ? 'issue' : 'issues'})` : first
}
