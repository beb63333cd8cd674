import { encodeServerValue } from '../server/answer/encodeValue.js'
import { currentContextOrUndefined } from '../server/context/requestContext.js'
import { getKeyRing } from '../server/security/keys.js'
import { isDevelopment } from '../server/serverConfig.js'
import { CLIENT_DATA_GLOBAL, LOADED_FIELD, type LoadedForClient } from '../shared/protocol.js'
import type { ReactFormState } from './decodeFormAction.js'

/** What a server render hands to the browser: the form state, and whatever props the page needs. */
export interface ClientData {
  formState?: ReactFormState | null
  [key: string]: unknown
}

/**
 * JavaScript for `renderToReadableStream`'s `bootstrapScriptContent` (or a `<script>`) that hands
 * `data` to the browser, where `readClientData()` and `readFormState()` read it back for
 * `hydrateRoot`. Written in devalue's format, so it carries anything a server function may return,
 * server functions included (bound ones with their values sealed). The queries `loadQuery` loaded
 * and the page's data go along, for the browser's query cache.
 */
export async function clientDataScript(data: ClientData): Promise<string> {
  const loaded = currentContextOrUndefined()?.loaded
  const payload = loaded && (loaded.queries.length > 0 || loaded.page) ? { ...data, [LOADED_FIELD]: loaded satisfies LoadedForClient } : data
  const dev = isDevelopment()
  const text = await encodeServerValue(payload, () => getKeyRing({}, dev), null, 'client data', (path) => `client data${path}`, dev)
  // Escaped here rather than trusted to the encoder: devalue escapes `<` in strings but writes a
  // Date's toISOString() as it is, and an app's Date may give any text there (`</script>`).
  return `self.${CLIENT_DATA_GLOBAL}=${JSON.stringify(text).replace(SCRIPT_UNSAFE, escapeForScript)};`
}

const SCRIPT_UNSAFE = /[<\u2028\u2029]/g
function escapeForScript(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
}
