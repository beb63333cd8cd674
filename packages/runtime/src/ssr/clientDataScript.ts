import { encodeServerValue } from '../server/answer/encodeValue.js'
import { getKeyRing } from '../server/security/keys.js'
import { isDevelopment } from '../server/serverConfig.js'
import { CLIENT_DATA_GLOBAL } from '../shared/protocol.js'
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
 * server functions included (bound ones with their values sealed).
 */
export async function clientDataScript(data: ClientData): Promise<string> {
  const text = await encodeServerValue(data, () => getKeyRing({}, isDevelopment()), null, 'client data', (path) => `client data${path}`)
  // devalue escapes `<`, so the text cannot close the script element it is written into.
  return `self.${CLIENT_DATA_GLOBAL}=${JSON.stringify(text)};`
}
