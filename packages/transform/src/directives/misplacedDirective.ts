import { transformWarningAt, type TransformWarning } from '../errors/TransformError.js'
import type { MisplacedDirective } from '../inline/analyzeModule.js'

/**
 * The warning for a 'use server' string that is not a directive. It is no error: JavaScript reads
 * it as a string that does nothing, and so does the compiler; but its author almost surely meant
 * a directive, and the code it was meant for runs as ordinary code.
 */
export function misplacedDirective(found: MisplacedDirective, code: string, id: string): TransformWarning {
  const { literal, parenthesized, inBlock, within } = found
  const reason =
    parenthesized ? 'it is in parentheses'
    : inBlock ? 'it is inside a block, and directives exist only at the top of a module or a function body'
    : `other code comes before it (an import counts: the directive goes above the imports)`
  const consequence =
    within === null
      ? 'the module stays ordinary code: its exports are not server functions, and the browser gets the module itself'
      : `it does not make \`${within}\` a server function`
  return transformWarningAt(
    'DIRECTIVE_NOT_IN_PROLOGUE',
    `'use server' is not a directive here: ${reason}. A directive is a plain string that comes first in its module or function body, so this one does nothing, and ${consequence}. ${parenthesized ? 'Remove the parentheses' : 'Move it to the top'} if that is what you meant, or remove it.`,
    code,
    id,
    literal.loc!.start,
  )
}
