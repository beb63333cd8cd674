import { BLOB_TAG, FILE_TAG, FORM_DATA_TAG, REFERENCE_TAG } from '../codec/devalueFormat.js'
import { readDevalue } from '../codec/readDevalue.js'
import { ServerFunctionError } from '../shared/ServerFunctionError.js'
import { ERROR_HEADER, filePartName, PAYLOAD_FIELD, type Envelope, type ReferencePayload } from '../shared/protocol.js'
import { createStub } from './references.js'

const STALE_MESSAGE = 'This server function no longer exists on the server: the page is probably older than the running deployment. Reload the page.'

/** Reads the handler's answer; anything that is not one becomes a typed ServerFunctionError. */
export async function decodeResponse(response: Response): Promise<Envelope> {
  const code = response.headers.get(ERROR_HEADER)
  const type = response.headers.get('content-type') ?? ''
  if (!response.ok && !code) {
    throw new ServerFunctionError(`The server answered ${response.status} ${response.statusText} without a server function response (is the endpoint behind a proxy that rewrites it?)`, { code: 'BAD_RESPONSE', status: response.status })
  }
  let text: string
  let files: FormData | undefined
  try {
    if (type.startsWith('multipart/form-data')) {
      files = await response.formData()
      text = String(files.get(PAYLOAD_FIELD))
    } else {
      text = await response.text()
    }
  } catch (cause) {
    throw unreadable(response.status, cause)
  }
  return readEnvelope(text, files, response.status)
}

/** One envelope from its devalue text (and the multipart parts its files refer to). */
export function readEnvelope(text: string, files: FormData | undefined, status: number): Envelope {
  let envelope: Envelope
  try {
    const file = (index: number) => files?.get(filePartName(index)) as File
    envelope = readDevalue(text, {
      [FILE_TAG]: ([index, lastModified]: [number, number]) => {
        const part = file(index)
        return new File([part], part.name, { type: part.type, lastModified })
      },
      [BLOB_TAG]: ([index]: [number]) => {
        const part = file(index)
        return new Blob([part], { type: part.type })
      },
      [FORM_DATA_TAG]: (entries: Array<[string, string | File]>) => {
        const form = new FormData()
        for (const [name, value] of entries) form.append(name, value)
        return form
      },
      [REFERENCE_TAG]: ({ id, token, bound }: ReferencePayload) => createStub({ id, name: '', token, bound: bound ?? [] }),
    }) as Envelope
  } catch (cause) {
    throw unreadable(status, cause)
  }
  const { error } = envelope
  if (error) {
    const message = error.code === 'NOT_FOUND' ? STALE_MESSAGE : error.message
    throw new ServerFunctionError(message, { code: error.code, status, digest: error.digest, serverStack: error.stack })
  }
  return envelope
}

function unreadable(status: number, cause: unknown) {
  return new ServerFunctionError(`The server's answer could not be read (${status})`, { code: 'BAD_RESPONSE', status, cause })
}
