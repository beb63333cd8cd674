// The dev server's parts, loaded with one import() when a dev server starts (never in a build's
// process): one file of the bundled package instead of one per part.
export { CallLog } from './callLog.js'
export { CompileErrors } from './compileErrors.js'
export { createDevResolver, serverRunner, usesSsrLoadModule } from './createDevResolver.js'
export { answerWithOverlayOnFailure, errorPageHtml, isPageNavigation } from './errorPage.js'
export { followQuickSaves } from './followQuickSaves.js'
export { createInspector } from './inspector.js'
export { FunctionScanner } from './scanFunctions.js'
